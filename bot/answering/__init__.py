"""Passages → a cited Answer, with conversation.

engine.py (the one `AnswerEngine`; protocols.py types its boundaries), conversation.py
(follow-ups → standalone questions), refusal.py (is it covered?), compose.py (refuse, or
answer: extractive/ by default, llm.py + prompting.py when configured), citations.py,
phrases.py (the answer's frame in the asker's language; its words are in bot/locales/),
markdown.py, types.py.
"""
