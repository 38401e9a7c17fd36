"""Sentence rankers behind `summaries.summarize`: sumy's algorithms and newsbot's own.

Every ranker takes the article's sentences and returns sentence indices, best first; the
caller (`summaries.summarize`) turns a ranking into a summary by count or character budget and
restores article order.
"""
