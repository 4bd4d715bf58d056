"""The ways people reach the index: answers, conversation, CLI, REPL and Discord."""
