# The subject pronoun French cannot drop: "je", "nous", "tu", "vous" before a verb of the
# first or second person that has none.
#
# Spanish and Catalan drop the subject pronoun ("recomiendo", "no podemos"), and the es-fr
# and ca-fr transfers put it back only where their rules see the verb open a clause: after a
# comma, a conjunction, "que" or an adverb it often stays out ("à partir de 40 ans si ...,
# ne pouvons jamais", "les gens que avons vus", "À cause de cela recommande"), and French
# has no such verb without its subject. On English -> French through Spanish (the first
# half of newstest2013), 75 of 381 such verbs had none.
#
# This filter runs on the transfer's output, right before the generator, on NUL-terminated
# segments. For each finite verb (not an imperative) of the first or second person, it looks
# back over the object and reflexive pronouns and "ne" before it, and over adverbs ("nous
# totalement l'acceptons"); when it reaches the segment's start, punctuation, a conjunction or
# a relative pronoun but "qui", the subject pronoun of the verb's person and number goes
# before the pronouns and "ne" (not before the adverbs: "Donc je recommande"). At a sentence's
# start the pronoun takes the capital: "Recommande" -> "Je recommande". Inline markup opened
# in the blank before the first unit holds the verb, not the pronoun.
BEGIN { $/ = "\0"; $| = 1; }

my %pronoun = ("p1sg" => "je<prn><tn><p1><mf><sg>", "p1pl" => "nous<prn><tn><p1><mf><pl>",
               "p2sg" => "tu<prn><tn><p2><mf><sg>", "p2pl" => "vous<prn><tn><p2><mf><pl>");
my $unit = qr/\^(?:\\.|[^\$\\])*\$/;
my $finite = qr/^\^(?:\\.|[^<\$\\])*<(?:vblex|vbmod|vbser|vbhaver|vaux)><(?:pri|pii|ifi|fti|cni|prs|pis)><(p[12])><(sg|pl)>/;
my $clitic = qr/^\^(?:\\.|[^<\$\\])*<prn><(?:pro|ref)>|^\^[Nn]e<adv>/;
my $adverb = qr/^\^(?:\\.|[^<\$\\])*<adv>/;
# what may stand right before a clause whose subject is missing: punctuation, a conjunction,
# a relative but "qui" (itself the subject); a finite verb after anything else (a
# preposition, a determiner, a noun) is a word the tagger took for one ("de Porto": "je
# porte"; "l'enterrement": "j'enterre")
my $opener = qr/^\^(?:\\.|[^<\$\\])*<(?:cm|sent|lpar|rpar|guio|lquot|rquot|lquest|cnjcoo|cnjsub|cnjadv|rel)>/;
my $subject = qr/^\^(?:(?:\\.|[^<\$\\])*<prn><(?:tn|itg)>|(?:[^<\$]* )?[Qq]ui<rel>)/;
my $sentence = qr/^\^(?:\\.|[^<\$\\])*<sent>/;
my $quote = qr/^\^(?:\\.|[^<\$\\])*<(?:lquot|lpar|guio)>/;

# (every segment of the pair comes here: one without a verb of the first or second person
# is passed on unread)
my $segment = /<(?:pri|pii|ifi|fti|cni|prs|pis)><p[12]>/ ? $_ : "";
utf8::decode($segment);                             # (letters, for the capitals)
my @parts = split /($unit)/, $segment;              # blanks at even indexes, units at odd
my @units = grep { $_ % 2 } 0 .. $#parts;
my $changed = 0;
for (my $k = 0; $k <= $#units; $k++) {
    next unless $parts[$units[$k]] =~ $finite;
    my $key = "$1$2";
    my $first = $k;
    $first-- while $first > 0 && $parts[$units[$first - 1]] =~ $clitic;
    my $back = $first - 1;
    $back-- while $back >= 0 && $parts[$units[$back]] =~ $adverb;
    next if $back >= 0 && ($parts[$units[$back]] =~ $subject
                           || $parts[$units[$back]] !~ $opener);
    # the units before the pronoun, opening quotes and brackets aside, are none or end a
    # sentence
    my $open = $first - 1;
    $open-- while $open >= 0 && $parts[$units[$open]] =~ $quote;
    my $opens = $open < 0 || $parts[$units[$open]] =~ $sentence;
    my $head = $units[$first];
    my $new = $pronoun{$key};
    # (a capital in mid-sentence is the pair's: "En janvier, Avoir" would be "j'Ai")
    if ($parts[$head] =~ s/^\^(\p{Lu})/"^" . lc $1/e && $opens) {
        $new = ucfirst $new;
    }
    if ($parts[$head - 1] =~ /^\s.*\[/s) {            # " ^je$" before markup in the blank
        $parts[$head - 1] = " ^$new\$" . $parts[$head - 1];
    } else {                                        # else right before the unit
        $parts[$head] = "^$new\$ " . $parts[$head];
    }
    $changed = 1;
}
if ($changed) {
    $_ = join "", @parts;
    utf8::encode($_);
}
