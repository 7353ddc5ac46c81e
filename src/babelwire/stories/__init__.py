"""One story, told once: near-duplicate wire copies (``stories.minhash``), the similarity of two
articles across languages (``stories.similarity``), the comparison of pairs the measurements
call (``stories.compare``) and the choice of the story a new article joins
(``stories.grouping``). Plain functions of text: the store and the pipeline call them."""
