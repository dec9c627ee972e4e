"""An invoice amount in English words (pure): ``SAY US DOLLARS ONE THOUSAND TWO HUNDRED AND FIFTY AND
CENTS FIFTY ONLY``, as Chinese exporters write the total of a commercial invoice.

British usage: ``AND`` before the tens and units of each group of three (``ONE HUNDRED AND FIVE``) and
before a last group below a hundred (``ONE THOUSAND AND FIFTY``); tens joined by a hyphen
(``TWENTY-ONE``). Zero cents are not said. A currency's words come from ``CURRENCY_WORDS`` (else its
code as written). Our own few lines rather than a dependency: num2words spells currencies its own way
(``one thousand, two hundred and fifty euro, fifty cents``) and not in the trade's upper-case form.
"""

from __future__ import annotations

from gendan_xl.model.errors import ErrorCode, GendanError

ONES = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE",
        "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN")
TENS = ("", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY")
SCALES = ("", "THOUSAND", "MILLION", "BILLION", "TRILLION")
CURRENCY_WORDS = {"USD": "US DOLLARS", "EUR": "EUROS", "GBP": "POUNDS STERLING", "HKD": "HONG KONG DOLLARS",
                  "CNY": "CHINESE YUAN", "JPY": "JAPANESE YEN", "AUD": "AUSTRALIAN DOLLARS",
                  "CAD": "CANADIAN DOLLARS"}
MINOR_WORDS = {"GBP": "PENCE"}   # else CENTS


def number_words(n: int) -> str:
    """A whole number from 0 below 10**15 in words: ``1250`` -> ``ONE THOUSAND TWO HUNDRED AND FIFTY``."""
    if n < 0 or n >= 1000 ** len(SCALES):
        raise GendanError("金额超出可读范围 the amount is beyond what is written in words", value=n,
                          expected=f"0 to {1000 ** len(SCALES) - 1:,}", code=ErrorCode.BAD_NUMBER)
    if n == 0:
        return ONES[0]
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words = []
    for scale in reversed(range(len(groups))):
        group = groups[scale]
        if not group:
            continue
        if scale == 0 and len(groups) > 1 and group < 100:
            words.append("AND")
        words.append(_hundreds(group) + (f" {SCALES[scale]}" if scale else ""))
    return " ".join(words)


def _hundreds(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = f"{ONES[hundreds]} HUNDRED" if hundreds else ""
    if not rest:
        return head
    tail = ONES[rest] if rest < 20 else TENS[rest // 10] + (f"-{ONES[rest % 10]}" if rest % 10 else "")
    return f"{head} AND {tail}" if head else tail


def amount_words(cents: int, currency: str | None) -> str:
    """``cents`` (the amount in hundredths) of ``currency`` as an invoice says it."""
    code = (currency or "").strip().upper()
    whole, minor = divmod(cents, 100)
    said = ["SAY", CURRENCY_WORDS.get(code, code), number_words(whole)]
    if minor:
        said += ["AND", MINOR_WORDS.get(code, "CENTS"), number_words(minor)]
    return " ".join(part for part in [*said, "ONLY"] if part)
