"""The verbs (and the phrase "according to") that attribute speech in news copy.

Kept as plain data so the list can grow without touching the attribution rules. Every form a
reporter writes is listed explicitly rather than derived by stemming: "said"/"told"/"wrote" are
irregular, and an explicit table never turns an unrelated word into a speech verb.
"""

from __future__ import annotations

# lemma -> inflected forms used in copy (base, third person, past, participle, gerund)
SPEECH_VERB_FORMS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "add": ("add", "adds", "added", "adding"),
    "explain": ("explain", "explains", "explained", "explaining"),
    "warn": ("warn", "warns", "warned", "warning"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "call": ("calls", "called"),  # "call" alone is mostly a noun ("a phone call")
    "urge": ("urge", "urges", "urged", "urging"),
    "ask": ("ask", "asks", "asked", "asking"),
    "quip": ("quip", "quips", "quipped"),
    "note": ("notes", "noted", "noting"),
    "argue": ("argue", "argues", "argued", "arguing"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "state": ("states", "stated"),
    "claim": ("claim", "claims", "claimed", "claiming"),
    "declare": ("declare", "declares", "declared", "declaring"),
    "announce": ("announce", "announces", "announced"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "recall": ("recall", "recalls", "recalled", "recalling"),
    "remark": ("remarks", "remarked"),
    "reply": ("reply", "replies", "replied"),
    "respond": ("respond", "responds", "responded"),
    "comment": ("commented",),
    "conclude": ("concluded", "concludes"),
    "observe": ("observed", "observes"),
    "suggest": ("suggest", "suggests", "suggested", "suggesting"),
    "tweet": ("tweeted", "tweets"),
    "post": ("posted",),
    "describe": ("described", "describes", "describing"),
    "testify": ("testified", "testifies"),
    "confirm": ("confirmed", "confirms"),
    "deny": ("denied", "denies"),
    "predict": ("predicted", "predicts"),
    "promise": ("promised", "promises"),
    "vow": ("vowed", "vows"),
    "stress": ("stressed", "stresses"),
    "emphasize": ("emphasized", "emphasised", "emphasizes", "emphasises"),
    "maintain": ("maintained", "maintains"),
    "contend": ("contended", "contends"),
    "concede": ("conceded", "concedes"),
    "complain": ("complained", "complains"),
    "lament": ("lamented", "laments"),
    "joke": ("joked", "jokes"),
    "exclaim": ("exclaimed",),
    "shout": ("shouted",),
    "yell": ("yelled",),
    "whisper": ("whispered",),
    "recount": ("recounted", "recounts"),
    "reiterate": ("reiterated", "reiterates"),
    "assert": ("asserted", "asserts"),
    "point": ("pointed",),  # "pointed out"
    "continue": ("continued",),  # '"…," she continued.'
    "mention": ("mentioned",),
    "report": ("reported",),
    "allege": ("alleged", "alleges"),
    "accuse": ("accused", "accuses", "accusing"),
    "caution": ("cautioned", "cautions"),
    "counter": ("countered",),
    "boast": ("boasted",),
    "plead": ("pleaded",),
    "chime": ("chimed",),
    "muse": ("mused",),
    "sigh": ("sighed",),
    "scoff": ("scoffed",),
    "beam": ("beamed",),
    "speak": ("spoke",),
}

# form -> lemma, for O(1) lookup while scanning tokens
SPEECH_VERBS: dict[str, str] = {
    form: lemma for lemma, forms in SPEECH_VERB_FORMS.items() for form in forms
}

# Forms that are also ordinary nouns or adjectives; they only count when a subject sits right
# next to them ("she noted", "noted Smith"), never as the lone cue of a paraphrase.
WEAK_FORMS = frozenset(
    {"notes", "states", "remarks", "calls", "claims", "posted", "reported", "warning", "accused"}
)
