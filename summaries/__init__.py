"""Pure, synchronous text processing: cleaning, sentences, summaries, quotes and speaker names."""
