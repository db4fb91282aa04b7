"""What a one-line /suggest says besides an idea: `list` mistyped, a word asking the bot something, a request to
stay anonymous; read apart so none of them goes, signed, to the manager and the team channel."""

import re

from services.text import bare_word, is_lone_dash, mistyped, one_slip_apart

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


def looks_like_a_subcommand(text: str) -> bool:
    """`status`, `mine`, `close`: one word that asks the bot something (see `SUBCOMMAND_LIKE`), which would
    otherwise go signed to the manager and the team channel as an idea. Any other single word is an idea."""
    return len(text.split()) == 1 and bare_word(text.strip()).lower() in SUBCOMMAND_LIKE


def asked_for_anonymity(text: str) -> str | None:
    """The idea of someone who asked in the line to stay anonymous, which a one-line suggestion never is (it is
    signed): without the word asking when it is set apart at the start (`anonymous: idea`, `(anon) idea`,
    `anonymously idea`), else whole, since `anonymous surveys` may be the idea itself and `idea (anonymous please)`
    is left for its author to edit in the form; None when no word of it asks. Later in the line the word asks only
    when set apart or asked for (`asks_later`): in `make the survey anonymous` it is the idea's. A word that only
    speaks of anonymity (`anonymity`, `anonymised`) does not ask."""
    found = _FIRST_WORD.match(text)
    if found is None or not asks_for_anonymity(found[2]):
        return text.strip() if asks_later(text.split()) else None
    rest = text[found.end() :].strip()
    set_apart = found[1] or found[3] or found[2].lower() != "anonymous"
    return rest if set_apart or not rest else text.strip()


_SET_APART_BY = ",;:.!?/|(["
"""A mark ending the word before (`idea, anonymously`, `idea. Anonymous`) or opening the word (`(anonymous please)`)."""
_ASKING_AROUND = frozenset(
    {"me", "keep", "kept", "stay", "remain", "send", "sent", "post", "posted", "submit", "please", "pls", "plz"}
)
"""Words just before (one or two words) or after `anonymous` that ask for it to be sent so: `keep me anonymous`,
`post this anonymously`, `anonymous please`."""


def asks_later(words: list[str]) -> bool:
    """A word after the first asks for anonymity when set apart from the idea by a mark or a dash before it (`idea,
    anonymously`, `idea - anon`, `idea (anonymous please)`) or near a word asking for it (`keep me anonymous`, `keep
    this anonymous`, `anonymous please`). Otherwise it describes the idea (`make the survey anonymous`, `rate shifts
    anonymously`): taken as a request, it kept the idea from being sent."""
    for index in range(1, len(words)):
        word, before = words[index], words[index - 1]
        if not asks_for_anonymity(bare_word(word)):
            continue
        after = bare_word(words[index + 1]).lower() if index + 1 < len(words) else ""
        set_apart = before[-1] in _SET_APART_BY or word[0] in _SET_APART_BY or is_lone_dash(before)
        near = {bare_word(near).lower() for near in words[max(index - 2, 0) : index]} | {after}
        if set_apart or near & _ASKING_AROUND:
            return True
    return False


def asks_for_anonymity(word: str) -> bool:
    """`anonymous`, `anonymously`, `anon`, or either long word mistyped (`anonymus`, `Anonimous`, `annonymous`):
    whoever typed it meant their name left off, which a one-line suggestion never does."""
    return word.lower() == "anon" or any(mistyped(word, asking) for asking in _ASKING_WORDS)
