"""Answers about the index, and the three ways people ask (`bot` imports `index`, never the
reverse).

answering/     passages → a cited Answer; engine.py is the one `AnswerEngine` (protocols.py)
cli/           `newsbot …` commands, their output and exit codes
repl.py        `newsbot repl`: chat with follow-ups
discord/       `newsbot discord`: the bot (app.py, runner.py), cogs/, ui/, i18n/, store/
locales/       one folder per language: gettext catalog, interrogatives, off-topic questions
evaluation/    `newsbot eval`: retrieval and answer quality
settings.py    every setting (index + answers + LLM + Discord), from env and .env
question_input.py  what counts as a question (checked once for every front end)
build_process.py   an index rebuild in a child process the serving process owns
"""
