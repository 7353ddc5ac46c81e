# The possessive of its possessor: Spanish "su"/"sus" as "their", "its", "her" or "leur(s)".
#
# Spanish "su" says nothing of its possessor, and the Debian pairs' bilingual dictionaries
# give it one sense: "his" in English, "son/sa/ses" in French ("The republican leaders
# justified his politics", "Les dirigeants ont justifié sa politique", "Google presented his
# model"). The reader takes it for someone else's. On the first half of newstest2013 the
# Spanish -> English output held "his" 226 times and "their" and "its" never (the human
# translations: 58, 97 and 49).
#
# This filter runs right after the bilingual dictionary (lt-proc -b), on NUL-terminated
# segments. Its arguments are name=value pairs: the dictionary's word ("singular=his"), the
# words put in its place ("plural=their", "thing=its", "female=her"; a target without one
# has none: French "son" is also a thing's), and comma-separated Spanish lemmas ("things=",
# nouns that name no person: "gobierno", "empresa", "ley"; "persons=", nouns of people whose
# feminine is a woman: "ministro<n><f>" is "la ministra").
#
# For each possessive determiner "suyo" it looks back in the same sentence for the nearest
# finite verb:
# - in the third person plural, the clause's subject is plural ("Los dirigentes justificaron
#   su política"): "plural";
# - in the third person singular, its subject is the noun phrase right before it (not after a
#   preposition: "el líder del partido"; the one before "que" when the verb's subject is that
#   relative): "thing" when its head is a noun of "things" or a proper noun Apertium files as
#   an organisation, thing or place ("Google<np><al>"), "female" when it is a woman's given
#   name ("<np><ant><f>") or a noun of "persons" in the feminine (or of both genders after a
#   feminine determiner: "la periodista");
# - no verb before it in its sentence: "plural" after a plural noun and "y" ("los
#   legisladores y sus partidarios").
# Otherwise, and for a person's name, a surname alone or an unknown word, it is left as the
# dictionary gave it. French "leur" is the same in both genders: its gender tag becomes <mf>.
BEGIN {
    $/ = "\0"; $| = 1;
    %word = map { split /=/, $_, 2 } @ARGV;         # plural=, singular=, thing=, female=
    @ARGV = ();
    %thing_nouns = map { $_ => 1 } split /,/, ($word{things} // "");
    %person_nouns = map { $_ => 1 } split /,/, ($word{persons} // "");
}
my $unit = qr/\^(?:\\.|[^\$\\])*\$/;
my $src = qr/\^(?:\\.|[^\/\\<])*/;                  # a unit's source lemma
my $finite = qr/<(?:vblex|vbser|vbhaver|vbmod)>(?:<[^>]*>)*?<(?:pri|pii|ifi|fti|cni|prs|pis|fts|imp)>/;
my $possessive = qr/^\^suyo<det><pos>/i;

# The subject before the verb at $at: "thing" when its head names no person, "female" when
# it is a woman's given name or a noun of the fifth argument in the feminine ("la ministra":
# "ministro<n><f>"), else "".
sub subject_kind {
    my ($units, $at) = @_;
    my $i = $at - 1;
    $i-- while $i >= 0 && $units->[$i] =~ /^$src<(?:adv|prn)>/;      # "no", "se", "lo"
    if ($i >= 0 && $units->[$i] =~ /^$src<rel>/) {                  # "la empresa que anunció"
        $i--;
        $i-- while $i >= 0 && $units->[$i] =~ /^$src<cm>/;
    }
    my $head;
    for (; $i >= 0 && $units->[$i] =~ /^$src<(?:n|np|adj)>/; $i--) {
        $head = $units->[$i] if $units->[$i] =~ /^$src<(?:n|np)>/;
    }
    return "" unless defined $head;
    my $det = $i >= 0 && $units->[$i] =~ /^$src<det>/ ? $units->[$i] : "";
    $i-- while $i >= 0 && $units->[$i] =~ /^$src<det>/;
    return "" if $i >= 0 && $units->[$i] =~ /^$src<pr>/;         # a complement: "del partido"
    return "thing" if $head =~ /^$src<np><(?:al|loc|top)>/;
    return "female" if $head =~ /^$src<np><ant><f>/;
    return "" unless $head =~ /^\^((?:\\.|[^\/\\<])*)<n>((?:<[^>]*>)*)/;
    my ($lemma, $tags) = (lc $1, $2);
    return "thing" if $thing_nouns{$lemma};
    # a noun of both genders is a woman's after a feminine determiner ("la periodista")
    return "female" if $person_nouns{$lemma} && ($tags =~ /^<f>/
        || ($tags =~ /^<mf>/ && $det =~ /^$src<det>(?:<[^>]*>)*?<f>/));
    return "";
}

# "plural", "thing" or "" for the possessive at $at.
sub possessor {
    my ($units, $at) = @_;
    for (my $i = $at - 1; $i >= 0; $i--) {
        my $u = $units->[$i];
        last if $u =~ /^\^[^\/]*<sent>/;
        if ($u =~ /^$src$finite/) {
            return "plural" if $u =~ /^$src(?:<[^>]*>)*?<p3>(?:<[^>]*>)*?<pl>/;
            return "" unless $u =~ /^$src(?:<[^>]*>)*?<p3>(?:<[^>]*>)*?<sg>/;
            return subject_kind($units, $i);
        }
    }
    # no verb before it: "X y sus Y", X a plural noun (maybe with adjectives after it)
    my $i = $at - 1;
    return "" unless $i >= 1 && $units->[$i] =~ /^\^[ye]<cnjcoo>/;
    for ($i--; $i >= 0 && $units->[$i] =~ /^$src<adj>/; $i--) {}
    return $i >= 0 && $units->[$i] =~ /^$src<n>(?:<[^>]*>)*?<pl>/ ? "plural" : "";
}

sub cased {
    my ($word, $given) = @_;
    return uc $word if $given eq uc $given;
    return ucfirst $word if substr($given, 0, 1) eq uc substr($given, 0, 1);
    return $word;
}

# (every segment of the pair comes here: one without "suyo" is passed on unread)
if (/\^suyo<det><pos>/i) {
    my @units = /($unit)/g;
    my %change;
    for my $at (grep { $units[$_] =~ $possessive } 0 .. $#units) {
        my $kind = possessor(\@units, $at);
        $change{$at} = $word{$kind} if $kind && $word{$kind};
    }
    my $n = -1;
    %change and s{($unit)}{
        $n++;
        my $u = $1;
        if (my $word = $change{$n}) {
            # in the case of the dictionary's word ("His", "HIS" at a sentence's start, in
            # a headline)
            $u =~ s{/(\Q$word{singular}\E)<det><pos>((?:<[^>]*>)*?)<(?:GD|m|f)>}
                   {"/" . cased($word, $1) . "<det><pos>$2<mf>"}ei
                || $u =~ s{/(\Q$word{singular}\E)<det><pos>}
                          {"/" . cased($word, $1) . "<det><pos>"}ei;
        }
        $u
    }ge;
}
