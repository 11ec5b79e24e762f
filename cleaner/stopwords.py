"""Function words per language: a cheap signal of a text's language and of prose, shared by stages."""

from __future__ import annotations

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
a about after all also an and any are as at be been before being but by can could did do does for from had has
have he her his how i if in into is it its just may more most my no not of on one or other our out over she so
some such than that the their them then there these they this those through to under up was we were what when
where which while who will with would you your
""".split()),
    "de": frozenset("""
der die das und ist nicht ein eine zu den mit von sich des auf für im dem als auch es an werden aus er hat
""".split()),
    "fr": frozenset("le la les et des un une du est en que qui dans pour pas sur au avec il par plus".split()),
    "es": frozenset("el los las y en que un una es por con para del se al lo como más".split()),
}
