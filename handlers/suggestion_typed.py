"""What a one-line /suggest says besides an idea: `list` mistyped, a word asking the bot something, a request to
stay anonymous; read apart so none of them goes, signed, to the manager and the team channel."""

import re
from dataclasses import dataclass

from services.emoji import is_emoji
from services.typed_words import bare_word, mistyped, one_slip_apart

SUBCOMMAND_LIKE = frozenset(
    {"status", "mine", "my", "all", "show", "view", "history", "open", "close", "closed", "done", "usage", "commands"}
)
"""Single words people type after /suggest to look at or act on their suggestions (other tools' subcommands), never
sent as an idea: a real one-word idea (`standups`) is; more words (`status page for outages`) always are."""
ASKED_NOT_SUGGESTED = (
    "`{word}` alone reads as asking me something, not as an idea, so I sent nothing. `/suggest list` shows your "
    "suggestions and where they stand; to send it as an idea, say a little more, like `/suggest {word} …`."
)
_FIRST_WORD = re.compile(r"\s*([^\w\s]*)\s*(\w+)(\s*[^\w\s]+)?")
"""The first word and the marks around it: `anonymous: idea`, `(anon) idea`, `*anonymous* idea`, `Anonymous! idea`."""
_ASKING_WORDS = ("anonymous", "anonymously")


TRYING_WORDS = frozenset({"hello", "hey", "test", "testing", "please", "thanks", "okay"})
"""What people type alone to try a command in their first days: a greeting, a test, a thanks. Never an idea to sign
and send to the manager; any more words (`test the new headsets`) are one."""
TRIED_NOT_SUGGESTED = (
    "`{word}` alone reads as trying me out, not as an idea, so I sent nothing. To send an idea, write it after the "
    "command, like `/suggest a quieter break room`."
)


def looks_like_a_try(text: str) -> bool:
    """`hello`, `test`, `thanks!`, `thank you 🙏`: a try or a greeting, not an idea (see `TRYING_WORDS`)."""
    words = [bare_word(word).lower() for word in text.split() if not is_emoji(word)]
    return words in (["thank", "you"], ["thank", "u"]) or (len(words) == 1 and words[0] in TRYING_WORDS)


def looks_like_list(text: str) -> bool:
    """`list all`, `list mine`: meant as `list`, not as a two-word idea for the manager."""
    words = text.split()
    return words[0].lower() == "list" and len(words) <= 2


def looks_like_mistyped_list(text: str) -> bool:
    """`list.`, `lsit`, `lists`, `lsit all`: a word a typo away from `list`, alone or before a word that asks to see
    (`SUBCOMMAND_LIKE`), is no idea to sign and post in the team channel. A letter changed is not counted: `lost`,
    `last`, `lift` are words someone may mean."""
    words = [bare_word(word).lower() for word in text.split()]
    asks_to_see = len(words) == 1 or (len(words) == 2 and words[1] in SUBCOMMAND_LIKE)
    return asks_to_see and one_slip_apart(words[0], "list")


ANSWER_SLIPPED = (
    "`{typed}` reads as asking for an idea to answer, not as an idea, so I sent nothing. `/suggest answer #41` brings "
    "idea #41's card to answer (its number is in `/suggest list`)."
)
_ANSWER_NUMBER_WORDS = frozenset({"#", "n", "#n", "no", "nr", "number", "suggestion", "idea"})
"""What may stand around the number in a try at `answer #N`: `answer #N` copied as shown, `answer suggestion 22`."""


def looks_like_answer(text: str) -> bool:
    """`answer`, `answer #N`, `answer #22?`, `answer suggestion 22`, `anwser #22`: a try at `/suggest answer #N` that
    did not read as one, never an idea to sign and send (`answer the phone within 3 rings` is one)."""
    first, _, rest = text.strip().partition(" ")
    head, hashed, number = first.partition("#")  # `answer#22`
    words = [bare_word(word).lower() for word in f"{hashed}{number} {rest}".split()]
    if not one_slip_apart(bare_word(head).lower(), "answer") and bare_word(head).lower() != "answer":
        return False
    return len(words) <= 2 and all(word.lstrip("#").isdigit() or word in _ANSWER_NUMBER_WORDS for word in words)


def looks_like_a_subcommand(text: str) -> bool:
    """`status`, `mine`, `close`: one word that asks the bot something (see `SUBCOMMAND_LIKE`), which would
    otherwise go signed to the manager and the team channel as an idea. Any other single word is an idea."""
    return len(text.split()) == 1 and bare_word(text.strip()).lower() in SUBCOMMAND_LIKE


@dataclass(frozen=True)
class HeldIdea:
    """A one-line idea whose line spoke of anonymity, held in the form instead of sent signed: `ticked` (send it
    anonymously) unless every such word plainly describes what the idea is about (`make the survey anonymous`),
    when its author decides, told why by the form."""

    what: str
    ticked: bool


def held_for_anonymity(text: str) -> HeldIdea | None:
    """Any word asking for anonymity (`asks_for_anonymity`) anywhere in the line holds the idea in the form, since a
    one-line suggestion is signed: sent, it would name to the manager and the team channel who wanted not to be
    named. None when no word of it is there; a word that only speaks of anonymity (`anonymity`, `anonymised`) is no
    such word."""
    words = _words(text)
    said = [index for index, word in enumerate(words) if asks_for_anonymity(word.text)]
    if not said:
        return None
    return HeldIdea(_idea_of(text), ticked=not all(_describes_the_idea(words, index) for index in said))


def _idea_of(text: str) -> str:
    """The idea without the word asking when it is set apart at the start (`anonymous: idea`, `(anon) idea`,
    `anonymously idea`), else whole: `anonymous surveys` may be the idea itself, and `idea (anonymous please)` is
    left for its author to edit in the form."""
    found = _FIRST_WORD.match(text)
    if found is None or not asks_for_anonymity(found[2]):
        return text.strip()
    rest = text[found.end() :].strip()
    set_apart = found[1] or found[3] or found[2].lower() != "anonymous"
    return rest if set_apart or not rest else text.strip()


@dataclass(frozen=True)
class _Word:
    text: str
    apart: bool
    """Anything but spaces before it: a mark, a dash, a line break, the start of a bracket or of emphasis."""


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text: str) -> list[_Word]:
    """The words of the line, lowercased (`I’d` as `i'd`), each knowing whether a mark sets it apart from the one
    before."""
    words, end = [], 0
    for found in _TOKEN.finditer(text):
        gap = text[end : found.start()]
        words.append(_Word(found[0].lower().replace("’", "'"), apart=bool(gap.strip(" \t"))))
        end = found.end()
    return words


def _describes_the_idea(words: list[_Word], index: int) -> bool:
    """The word at `index` plainly says what the idea is about, so it may not ask for anything: beside a thing
    anonymity is a feature of (`anonymous feedback box`, `make the survey anonymous`) or a way for others to do
    something (`let people rate shifts anonymously`), with nothing near it asking (`_asks`). First in the line only
    the word `anonymous` itself, with no mark after it, may describe (`anonymous surveys`), and not as a heading
    (`anonymous feedback: my manager…`)."""
    if words[index].apart or (index == 0 and (words[0].text != "anonymous" or len(words) == 1 or words[1].apart)):
        return False
    before, after = _clause_around(words, index)
    heading = index == 0 and len(after) <= 2 and len(words) > len(after) + 1
    if heading or _asks(before, after):
        return False
    return bool(
        set(after[:2]) & _FEATURED
        or set(before[-3:]) & (_FEATURED | _SPOKEN)
        or any(word in _LETTING and _others_follow(before[place + 1 :]) for place, word in enumerate(before))
    )


def _clause_around(words: list[_Word], index: int) -> tuple[list[str], list[str]]:
    """The words before and after `index` up to a mark either side: `make the survey` and `so people answer` in
    `make the survey anonymous so people answer`."""
    start, end = index, index + 1
    while start > 0 and not words[start].apart:
        start -= 1
    while end < len(words) and not words[end].apart:
        end += 1
    return [word.text for word in words[start:index]], [word.text for word in words[index + 1 : end]]


def _asks(before: list[str], after: list[str]) -> bool:
    """Words near it asking for it to be sent so: the author speaking of themselves (`Can I be anonymous`, `I'd like
    to be anonymous`), of this idea (`make this anonymous`, `this is anonymous`, `anonymous suggestion`), or a verb or
    a plea (`keep it anonymous`, `sending anonymously`, `anonymously if possible`, `anonymous please`)."""
    names_itself = bool(after) and after[0] in _THIS_IDEA and not set(after[1:2]) & _FEATURED
    return bool(
        set(before + after) & _FIRST_PERSON
        or set(before) & _ASKING_BEFORE
        or set(before[-2:] + after) & _PLEAS
        or names_itself
    )


def _others_follow(words: list[str]) -> bool:
    """`people`, `our staff`, `all customers` first in `words`: someone other than the author."""
    rest = words[1:] if words[:1] and words[0] in _DETERMINERS else words
    return bool(rest) and rest[0] in _OTHERS


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FEATURED = _set(
    "survey surveys poll polls questionnaire questionnaires form forms box boxes vote votes voting ballot ballots "
    "hotline hotlines tipline channel channels reporting ratings reviews"
)
"""Things anonymity is a feature of, beside the word (`anonymous surveys`, `anonymous feedback box`, `make the poll
anonymous`): the idea's subject."""
_SPOKEN = _set("feedback answers responses results comments replies")
"""What people say, made anonymous by a rule the idea proposes: `make feedback anonymous`."""
_LETTING = _set("let lets letting allow allows allowing so where help helps")
_DETERMINERS = _set("the our all every other new")
_OTHERS = _set(
    "people staff customers agents employees everyone anyone colleagues teammates callers users workers reps members "
    "starters clients guests patients shoppers"
)
_FIRST_PERSON = _set("i i'd i'm im i'll i've ive me my mine myself")
_ASKING_BEFORE = _set(
    "this it keep kept stay stays remain send sending sent post posting posted submit submitting submitted"
)
"""Anywhere before the word in its clause: `post this in the survey channel anonymously` asks, though a thing
anonymity is a feature of is beside it."""
_PLEAS = _set("please pls plz possible thanks thank thx ty")
"""Just before the word or anywhere after it in its clause: `anonymous please`, `anonymously if possible`; not
`please make the survey anonymous`."""
_THIS_IDEA = _set("suggestion idea note message submission post request feedback complaint comment tip concern here")
"""After the word, what this line is: `an anonymous suggestion: …` asks, unless a thing follows (`anonymous
suggestion box`)."""


def asks_for_anonymity(word: str) -> bool:
    """`anonymous`, `anonymously`, `anon`, or either long word mistyped (`anonymus`, `Anonimous`, `annonymous`):
    whoever typed it may mean their name left off, which a one-line suggestion never does."""
    return word.lower() == "anon" or any(mistyped(word, asking) for asking in _ASKING_WORDS)
