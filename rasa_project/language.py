"""Which language to answer in, English or Spanish, chosen per message from what the customer
writes.

Three sources, strongest first:
1. An explicit request ("en español por favor", "English please", "can you answer in Spanish").
2. The language the message is written in: Spanish-only marks (ñ, ¿, accents) or function words
   and chat shorthand one language has and the other does not ("la green card" is Spanish, "my
   green card" English; shorthand from language_words.yml: "porfa", "xq" Spanish, "pls", "u"
   English); otherwise words far more common in one language than the other (wordfreq's lists:
   "eres humano" is Spanish, "pending" English); otherwise lingua (`lingua-language-detector`),
   only when it is sure. Letters held down are put back first ("holaaa", "graciass").
3. Nothing to go on ("ok", "no", a receipt number, a ZIP code, a date, a name): keep the
   conversation's language; at the very start, the website page's language. A message of
   greetings or thanks only ("muchas gracias", "thanks") chooses the language of a first message
   but does not switch a conversation.
Measured in docs/spanish.md (bench/language_id.py).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import yaml

from rasa_project.text import plain

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Below this lingua is guessing between two close spellings ("Maria", "radio"): keep the language.
MIN_CONFIDENCE = 0.9
MIN_LETTERS = 4
# A word counts for a language when it is this much more frequent in it (wordfreq's Zipf scale,
# a factor of 10 per step): "humano" 4.9 vs 1.6; "son" (6.3 vs 5.3) and "guatemala" count for
# neither.
MIN_FREQUENCY_GAP = 1.5
WORD_LISTS = Path(__file__).with_name("language_words.yml")

_SPANISH = r"(?:espanol|spanish|castellano)"
_ENGLISH = r"(?:english|ingles)"
_ASK = (r"(?:in|en|answer|speak|talk|write|reply|respond|habl\w*|contest\w*|respond\w*|escrib\w*"
        r"|please|pls|plz|plis|por favor|porfa|porfavor|xfa|x favor|x fa|switch|cambi\w*|idioma"
        r"|language)")
REQUESTS = {
    "es": re.compile(rf"(?:\b{_ASK}\b.*\b{_SPANISH}\b|\b{_SPANISH}\b.*\b{_ASK}\b|^{_SPANISH}$)"),
    "en": re.compile(rf"(?:\b{_ASK}\b.*\b{_ENGLISH}\b|\b{_ENGLISH}\b.*\b{_ASK}\b|^{_ENGLISH}$)"),
}
# "Do you speak English?" in Spanish asks about English, and "no hablo inglés" asks for Spanish.
NOT_ENGLISH = re.compile(rf"\b(?:no|not|don'?t|dont)\b(?:\s+\w+){{0,3}}\s+{_ENGLISH}\b")
NOT_SPANISH = re.compile(rf"\b(?:no|not|don'?t|dont)\b(?:\s+\w+){{0,3}}\s+{_SPANISH}\b")

# Words that read the same in both languages, or that answer a question without choosing one.
NEUTRAL = frozenset("""ok okay okey k no si sí yes yep yup yeah nope nah ya yo bye ciao uscis
    infopass tdd
    i-485 i-130 i-765 n-400 green card email e-mail fax zip pin
    perm itin sevp ice cbp ssa irs eoir nvc dhs usa us eeuu ee uu mexico""".split())
# Function words only one of the two languages has (accents removed, as customers often type).
SPANISH_WORDS = frozenset("""el la los las un una unos unas del al mi mis su sus tu que como donde
    cuando cual cuanto quien porque para por con sin pero tambien muy esta estoy estan tengo
    tiene necesito quiero puedo puede hacer hay ser soy es fue sobre hasta desde entre
    numero telefono cita oficina tarjeta permiso trabajo caso solicitud ayuda llamar hablar
    gracias hola buenos buenas dias tardes noches favor senor senora esposo esposa hijo hija
    en de vivo vive le se lo
    ciudadania residencia mujer marido ejercito militar queja pasaporte""".split())
# Not the nouns Spanish speakers borrow ("la green card", "el work permit", "mi case status").
ENGLISH_WORDS = frozenset("""the an my your his her our their is are was were be been am i you
    he she we they it this that these those what how where when which who why with without for
    from of to in on at by and but or not do does did can could would should will have has had
    need want get call please thanks hello hi thank wife husband son daughter about im i'm
    don't dont isn't can't cant there here just still yet ago days weeks months help""".split())
SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóúü]", re.I)
NOT_WORDS = re.compile(r"\S*\d\S*|\S+@\S+|https?://\S+|www\.\S+")  # numbers, codes, dates, emails
VOWEL = re.compile(r"[aeiouyáéíóúü]", re.I)
NAME_PARTICLES = frozenset("de del la las los y van von da di du le".split())
# A key held down: "holaaa", "graciass", "siii" (see as_spelled).
LETTERS_HELD_DOWN = re.compile(r"([a-z])\1{2,}")
FINAL_DOUBLED = re.compile(r"([a-z])\1$")


def requested_language(text: str) -> str | None:
    """The language the customer asks for in so many words, if any."""
    said = LETTERS_HELD_DOWN.sub(r"\1", plain(text or ""))
    if not said or len(said) > 120:
        return None
    asks_spanish = bool(REQUESTS["es"].search(said)) and not NOT_SPANISH.search(said)
    asks_english = bool(REQUESTS["en"].search(said)) and not NOT_ENGLISH.search(said)
    if NOT_ENGLISH.search(said) and not asks_english:
        asks_spanish = True  # "no hablo inglés", "I don't speak English"
    if NOT_SPANISH.search(said) and not asks_spanish:
        asks_english = True  # "I don't speak Spanish"
    if asks_spanish != asks_english:
        return "es" if asks_spanish else "en"
    return None


def written_language(text: str) -> str | None:
    """The language `text` is written in, or None when it reads the same in both."""
    text = (text or "").strip()
    if not text or text.startswith("/"):  # a button's payload
        return None
    words = NOT_WORDS.sub(" ", text).split()
    letters = sum(ch.isalpha() for ch in " ".join(words))
    plain_words = [word.strip(".'") for word in (plain(word) for word in words)]
    plain_words = [spelled for spelled in map(as_spelled, plain_words) if spelled]
    if not plain_words or all(word in NEUTRAL for word in plain_words) or " ".join(
            plain_words) in NEUTRAL:
        return None
    if _looks_like_a_name(words):
        return None
    if SPANISH_MARKS.search(text):
        return "es"
    votes = [word_language(word) for word in plain_words]
    for strong in (True, False):  # function words and shorthand first, then frequencies
        spanish = sum(vote == ("es", strong) for vote in votes)
        english = sum(vote == ("en", strong) for vote in votes)
        if spanish or english:
            if spanish and not english or not strong and spanish > english:
                return "es"
            if english and not spanish or not strong and english > spanish:
                return "en"
            break  # both languages' function words: lingua reads the whole sentence
    # Only words with a vowel go to lingua: "qwrtpsdfg" is neither language.
    readable = [word for word in words if VOWEL.search(word)]
    if letters < MIN_LETTERS or not readable:
        return None
    return _lingua(" ".join(readable))


def word_language(word: str) -> tuple[str, bool] | None:
    """("es" or "en", whether the word is sure evidence) for one plain word, or None."""
    if word in NEUTRAL:
        return None
    if word in SPANISH_WORDS or word in _word_list("informal_spanish"):
        return "es", True
    if word in ENGLISH_WORDS or word in _word_list("informal_english"):
        return "en", True
    gap = _zipf(word, "es") - _zipf(word, "en")
    if abs(gap) >= MIN_FREQUENCY_GAP:
        return ("es" if gap > 0 else "en"), False
    return None


def as_spelled(word: str) -> str:
    """The word with letters held down put back ("holaaa" -> "hola", "graciass" -> "gracias",
    "goood" -> "good"). A word either language knows as typed is kept ("all", "loss"), unless a
    letter is there three times ("siii"; the frequency lists hold such chat spellings too)."""
    if not LETTERS_HELD_DOWN.search(word) and (_listed(word) or _frequent(word)):
        return word
    once = LETTERS_HELD_DOWN.sub(r"\1", word)
    if len(set(once)) == 1:  # one key held down ("yyyy", "aaaa"): no word of either language
        return ""
    spellings = (once, LETTERS_HELD_DOWN.sub(r"\1\1", word), FINAL_DOUBLED.sub(r"\1", once))
    for known in (_listed, _frequent):  # our lists first
        for spelling in spellings:
            if known(spelling):
                return spelling
    return once


def only_courtesy(text: str) -> bool:
    """A greeting, thanks or goodbye and nothing else ("muchas grasias", "thank uuu")."""
    words = [as_spelled(word.strip(".'")) for word in plain(text or "").split()]
    words = [word for word in words if word]
    return bool(words) and all(word in _word_list("courtesy") for word in words)


def choose_language(text: str, current: str | None, page_language: str | None = None,
                    first_message: bool = False) -> str:
    """The language to answer this message in."""
    requested = requested_language(text)
    if requested:
        return requested
    written = written_language(text)
    settled = current in LANGUAGES and not first_message
    if written and not (settled and only_courtesy(text)):
        return written
    if first_message and page_language in LANGUAGES:
        return page_language
    return current if current in LANGUAGES else DEFAULT_LANGUAGE


def _looks_like_a_name(words: list[str]) -> bool:
    """'Maria Lopez', 'Ana de la Cruz': capitalised words only, as a name or a place is written."""
    named = [word for word in words if word.lower() not in NAME_PARTICLES]
    return (1 <= len(named) <= 4
            and all(word[:1].isupper() and word[1:].islower() and word.isalpha() for word in named)
            and not any(word.lower() in ENGLISH_WORDS | SPANISH_WORDS for word in named))


def load_models() -> None:
    """Load lingua's models and the word lists now (a process's start-up) rather than at the
    first message."""
    _detector()
    _frequencies("es"), _frequencies("en"), _word_list("courtesy")


def _listed(word: str) -> bool:
    return (word in NEUTRAL or word in SPANISH_WORDS or word in ENGLISH_WORDS
            or any(word in _word_list(name) for name in ("informal_spanish", "informal_english",
                                                          "courtesy")))


def _frequent(word: str) -> bool:
    return word in _frequencies("es") or word in _frequencies("en")


@lru_cache(maxsize=8)
def _word_list(name: str) -> frozenset[str]:
    return frozenset(yaml.safe_load(WORD_LISTS.read_text(encoding="utf-8"))[name].split())


def _zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency (log10 of uses per billion words); 0 when not in the list."""
    frequency = _frequencies(language).get(word)
    return math.log10(frequency) + 9 if frequency else 0.0


@lru_cache(maxsize=2)
def _frequencies(language: str) -> dict[str, float]:
    # wordfreq's "small" lists (about 30,000 words each, 9 MB for both in memory, shipped in its
    # wheel): the "large" ones would cost every Rasa process 78 MB for rarer words.
    from wordfreq import get_frequency_dict

    return get_frequency_dict(language, wordlist="small")


def _lingua(text: str) -> str | None:
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return "es" if best.language.name == "SPANISH" else "en"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    # Two languages only: a lingua told about forty would call "ok" Slovak. Models preloaded so
    # that the first Spanish message does not pay for loading them.
    return (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
            .with_preloaded_language_models().build())
