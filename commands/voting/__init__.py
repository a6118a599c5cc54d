"""Voting: start a vote, answer with one tap, see who hasn't voted, close it and read the result."""
