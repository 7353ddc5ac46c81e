# Put back the blank Apertium's transfer rules drop between two words.
#
# Some rules of the Debian pairs emit lexical units with nothing between them
# ("^escenario<n>$^de<pr>$^caso<n>$"), and the generator then writes the words
# run together: "escenariodecaso", "mayoríadedos", "hapodido". This filter runs
# right before the generator, on NUL-terminated segments, and puts one space
# between two adjacent units when both are words. Punctuation, genitive "'s"
# and apostrophes keep their tight joins; word-bound blanks ([[...]]) between
# the units are kept, after the space.
BEGIN { $/ = "\0"; $| = 1 }
my $unit = qr/\^(?:\\.|[^\$\\])*\$/;
my $blank = qr/\[\[(?:[^\]\\]|\\.)*\]\]/;
sub word {
    my $u = shift;
    return 0 if $u =~ /^\^(?:\\.|[^<\$\\])*<(?:sent|cm|lpar|rpar|lquest|rquest|apos|guio|lquot|rquot|quot|percent|gen|apos)>/;
    return 0 if $u =~ /^\^(?:['’]|\\[^\w])/;
    return 1;
}
s{($unit)(?=(?:$blank)*($unit))}{ $1 . ((word($1) && word($2)) ? " " : "") }ge;
