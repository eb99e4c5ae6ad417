"""Danish first names and surnames for demo people, and the ASCII folding used for their e-mail addresses.

The lists follow Danmarks Statistik's most common names for adults, with the names of the largest
immigrant groups mixed in at roughly their share of municipal staff. Order matters: the generator picks
with weights that fall with the position, so the first names are the most frequent.
"""

from __future__ import annotations

import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    # Women
    "Anne", "Mette", "Kirsten", "Hanne", "Helle", "Anna", "Susanne", "Lene", "Maria", "Marianne",
    "Lone", "Camilla", "Pia", "Louise", "Charlotte", "Tina", "Gitte", "Bente", "Jette", "Karen",
    "Inge", "Berit", "Dorthe", "Lotte", "Trine", "Rikke", "Heidi", "Maja", "Julie", "Sofie",
    "Ida", "Emma", "Laura", "Line", "Stine", "Signe", "Sanne", "Malene", "Britt", "Birgitte",
    "Annette", "Vibeke", "Winnie", "Henriette", "Janne", "Katrine", "Christina", "Nanna", "Cecilie",
    "Mathilde", "Freja", "Caroline", "Josefine", "Pernille", "Tanja", "Sara", "Fatima", "Aisha",
    "Amina", "Zeynep", "Maryam", "Agnieszka", "Leyla", "Nadia", "Yasmin", "Anne-Marie", "Marie-Louise",
    # Men
    "Søren", "Jens", "Lars", "Peter", "Michael", "Henrik", "Thomas", "Niels", "Jan", "Morten",
    "Jesper", "Anders", "Martin", "Hans", "Rasmus", "Christian", "Kim", "Per", "Mads", "Jørgen",
    "Ole", "Bo", "Poul", "Torben", "Brian", "Steen", "Frederik", "Mikkel", "Jakob", "Kasper",
    "Nikolaj", "Jonas", "Simon", "Kristian", "Jacob", "Bjarne", "Allan", "Carsten", "Claus", "Erik",
    "Flemming", "Johannes", "Emil", "Mathias", "Oliver", "William", "Lasse", "Mohammed", "Ali",
    "Ahmed", "Hassan", "Omar", "Mustafa", "Piotr", "Tomasz", "Jean-Pierre",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Jacobsen", "Mikkelsen",
    "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm",
    "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen",
    "Jespersen", "Nissen", "Lauridsen", "Kjær", "Søndergaard", "Bach", "Dahl", "Østergaard",
    "Nørgaard", "Vestergaard", "Overgaard", "Friis", "Winther", "Thygesen", "Damgaard", "Bertelsen",
    "Kjeldsen", "Ahmed", "Ali", "Hussein", "Yilmaz", "Khan", "Kowalski", "Nowak", "Hassan",
)  # fmt: skip

# Middle names (mellemnavne) that many Danes carry between first name and surname.
MIDDLE_NAMES: tuple[str, ...] = (
    "Holm", "Lund", "Bach", "Dahl", "Kjær", "Friis", "Juul", "Skov", "Berg", "Krogh", "Munk",
    "Vinther", "Bruun", "Østergaard", "Mølgaard", "Brix",
)  # fmt: skip

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def ascii_fold(text: str) -> str:
    """Danish letters as they are written in e-mail addresses (æ→ae, ø→oe, å→aa); other accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_DANISH_LETTERS))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def email_local_part(*, first_name: str, surname: str) -> str:
    """`fornavn.efternavn`, lower case ASCII, spaces as hyphens."""
    return ".".join(ascii_fold(part).lower().replace(" ", "-") for part in (first_name, surname))
