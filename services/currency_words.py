"""The words that name a currency after an amount (`45 euros`, `2000 Kuwaiti dinars`), and the currencies each may be.

A word that is also ordinary English or a common name is read only with the country's word before it: `20 Korean won`
and `20 Vietnamese dong` are currencies, `refund 20 we won them back` and `20 dong` are not (nor `real`, `lei`, `lev`,
`mark`, `sol`, `kip`, `dram`, `lari`), as `ALL`, `TOP` or `TRY` are no codes. A few names are read alone all the same
(ALSO_NAMES), as more often the currency after an amount, and told apart by a mark on the amount (`$20 Rand`)."""

CENTS = ("USD", "EUR", "CAD", "AUD", "NZD", "ZAR")
"""Currencies whose hundredth is a cent: `20¢`, `20 cents` is 0.20 of a policy in one of them (`50 pence` of a GBP
one, `50 pennies` of a GBP or USD one)."""
DOLLARS = ("USD", "CAD", "AUD", "NZD", "MXN")
CENT_WORDS = ("cent", "pence", "penny", "pennies", "us cent", "euro cent")
"""The words of hundredths, as `currencies_of` finds them in CURRENCIES_OF_WORD."""

_DINARS = ("KWD", "BHD", "JOD", "IQD", "LYD", "TND", "DZD", "RSD")
_EACH_ONE = {
    **dict.fromkeys(("dollar", "buck", "ドル"), DOLLARS),
    **dict.fromkeys(("euro", "ユーロ", "欧元"), ("EUR",)),
    **dict.fromkeys(("pound", "quid", "sterling", "ポンド", "英镑"), ("GBP",)),
    **dict.fromkeys(("yen", "日元"), ("JPY",)),
    **dict.fromkeys(("米ドル", "美元"), ("USD",)),
    **{"加元": ("CAD",), "澳元": ("AUD",), "港元": ("HKD",), "ウォン": ("KRW",)},
    **dict.fromkeys(("yuan", "renminbi", "人民元"), ("CNY",)),
    **dict.fromkeys(("krona", "kronor"), ("SEK",)),
    **dict.fromkeys(("krone", "kroner"), ("NOK", "DKK")),
    **{"franc": ("CHF",), "rupee": ("INR",), "peso": ("MXN",), "reais": ("BRL",), "rand": ("ZAR",)},
    "cent": CENTS,
    "pence": ("GBP",),
    **dict.fromkeys(("penny", "pennies"), ("GBP", "USD")),
}
"""Words read alone after an amount (`45 euros`)."""
_OTHERS = {
    "dinar": _DINARS,
    "denar": ("MKD",),
    "dirham": ("AED", "MAD"),
    "riyal": ("SAR", "QAR"),
    "rial": ("OMR", "IRR", "YER"),
    **dict.fromkeys(("shekel", "sheqel", "shekalim"), ("ILS",)),
    **dict.fromkeys(("zloty", "złoty", "zlotych", "złotych", "zlote", "złote"), ("PLN",)),
    "baht": ("THB",),
    **dict.fromkeys(("lira", "lire"), ("TRY",)),
    **dict.fromkeys(("ruble", "rouble"), ("RUB",)),
    "ringgit": ("MYR",),
    "forint": ("HUF",),
    **dict.fromkeys(("koruna", "koruny", "korun"), ("CZK",)),
    "leu": ("RON", "MDL"),
    "naira": ("NGN",),
    "rupiah": ("IDR",),
    "taka": ("BDT",),
    **dict.fromkeys(("hryvnia", "hryvnias", "hryvnya", "hryvni", "hryvna"), ("UAH",)),
    "leva": ("BGN",),
    "tenge": ("KZT",),
    "cedi": ("GHS",),
    "birr": ("ETB",),
    "kwacha": ("ZMW", "MWK"),
    "shilling": ("KES", "UGX", "TZS", "SOS"),
    "manat": ("AZN", "TMT"),
    **dict.fromkeys(("boliviano", "bolivianos"), ("BOB",)),
    **dict.fromkeys(("quetzal", "quetzales"), ("GTQ",)),
}
"""Words of currencies no policy is in, read alone: none is an English word."""


def _of(noun: str, **countries: str) -> dict[str, tuple[str, ...]]:
    """`_of("dinar", kuwaiti="KWD")` -> {"kuwaiti dinar": ("KWD",)}; `_` in a country's word is a space."""
    return {f"{country.replace('_', ' ')} {noun}": (code,) for country, code in countries.items()}


_OF_COUNTRIES = {
    **dict.fromkeys(("us dollar", "u.s. dollar", "american dollar"), ("USD",)),
    **dict.fromkeys(("australian dollar", "aussie dollar"), ("AUD",)),
    **dict.fromkeys(("new zealand dollar", "nz dollar"), ("NZD",)),
    **dict.fromkeys(("hong kong dollar", "hk dollar"), ("HKD",)),
    **dict.fromkeys(("singapore dollar", "singaporean dollar"), ("SGD",)),
    **dict.fromkeys(("taiwan dollar", "new taiwan dollar", "nt dollar"), ("TWD",)),
    **_of("dollar", canadian="CAD", jamaican="JMD", bahamian="BSD", fijian="FJD", brunei="BND", namibian="NAD"),
    **_of("dollar", liberian="LRD", belize="BZD", barbadian="BBD", guyanese="GYD", east_caribbean="XCD"),
    **dict.fromkeys(("british pound", "pound sterling", "pounds sterling", "uk pound"), ("GBP",)),
    **_of("pound", egyptian="EGP", lebanese="LBP", syrian="SYP", sudanese="SDG", south_sudanese="SSP"),
    **dict.fromkeys(("swedish krona", "swedish kronor"), ("SEK",)),
    **dict.fromkeys(("norwegian krone", "norwegian kroner"), ("NOK",)),
    **dict.fromkeys(("danish krone", "danish kroner"), ("DKK",)),
    **dict.fromkeys(("icelandic krona", "icelandic kronur"), ("ISK",)),
    **dict.fromkeys(("brazilian real", "brazilian reais"), ("BRL",)),
    **_of("peso", mexican="MXN", argentine="ARS", argentinian="ARS", chilean="CLP", colombian="COP"),
    **_of("peso", philippine="PHP", filipino="PHP", uruguayan="UYU", cuban="CUP", dominican="DOP"),
    **_of("franc", swiss="CHF", west_african_cfa="XOF", central_african_cfa="XAF", congolese="CDF"),
    **_of("rupee", indian="INR", pakistani="PKR", sri_lankan="LKR", nepalese="NPR", nepali="NPR", mauritian="MUR"),
    "cfa franc": ("XOF", "XAF"),
    **{"south african rand": ("ZAR",), "japanese yen": ("JPY",), "chinese yuan": ("CNY",)},
    **dict.fromkeys(("korean won", "south korean won"), ("KRW",)),
    **_of("dinar", kuwaiti="KWD", bahraini="BHD", jordanian="JOD", iraqi="IQD", libyan="LYD", tunisian="TND"),
    **_of("dinar", algerian="DZD", serbian="RSD"),
    **_of("dirham", uae="AED", emirati="AED", moroccan="MAD"),
    **_of("riyal", saudi="SAR", qatari="QAR", omani="OMR", yemeni="YER"),
    **_of("rial", saudi="SAR", qatari="QAR", omani="OMR", iranian="IRR", yemeni="YER"),
    **_of("shekel", israeli="ILS", new="ILS", new_israeli="ILS"),
    **{"polish zloty": ("PLN",), "thai baht": ("THB",), "turkish lira": ("TRY",), "turkish lire": ("TRY",)},
    **_of("ruble", russian="RUB", belarusian="BYN"),
    **_of("rouble", russian="RUB", belarusian="BYN"),
    **{"malaysian ringgit": ("MYR",), "hungarian forint": ("HUF",), "czech koruna": ("CZK",)},
    **dict.fromkeys(("czech crown", "czech korun", "czech koruny"), ("CZK",)),
    **{"romanian leu": ("RON",), "romanian lei": ("RON",), "moldovan leu": ("MDL",), "moldovan lei": ("MDL",)},
    **{"nigerian naira": ("NGN",), "indonesian rupiah": ("IDR",), "vietnamese dong": ("VND",)},
    **{"bangladeshi taka": ("BDT",), "ukrainian hryvnia": ("UAH",), "bulgarian lev": ("BGN",)},
    **{"bulgarian leva": ("BGN",), "kazakh tenge": ("KZT",), "kazakhstani tenge": ("KZT",)},
    **{"macedonian denar": ("MKD",), "ghanaian cedi": ("GHS",), "ethiopian birr": ("ETB",)},
    **_of("shilling", kenyan="KES", ugandan="UGX", tanzanian="TZS", somali="SOS"),
    **{"peruvian sol": ("PEN",), "peruvian soles": ("PEN",), "lao kip": ("LAK",), "armenian dram": ("AMD",)},
    **{"georgian lari": ("GEL",), "albanian lek": ("ALL",), "convertible mark": ("BAM",)},
    **_of("dinar", kuwait="KWD", bahrain="BHD", jordan="JOD", iraq="IQD", libya="LYD", tunisia="TND", algeria="DZD"),
    **_of("riyal", saudi_arabian="SAR", qatar="QAR", oman="OMR", yemen="YER"),
    **_of("rial", saudi_arabian="SAR", qatar="QAR", oman="OMR", iran="IRR", yemen="YER"),
    **_of("dirham", dubai="AED", emirates="AED", morocco="MAD"),
    **_of("pound", egypt="EGP", lebanon="LBP", syria="SYP", sudan="SDG"),
    **_of("dollar", taiwanese="TWD", fiji="FJD", cayman="KYD", cayman_islands="KYD", kiwi="NZD", zimbabwean="ZWL"),
    **_of("dollar", trinidad="TTD", trinidadian="TTD", trinidad_and_tobago="TTD", tt="TTD", jamaica="JMD"),
    **_of("dollar", bahamas="BSD", barbados="BBD", bajan="BBD", belizean="BZD", bermudian="BMD", bermuda="BMD"),
    **_of("dollar", bruneian="BND", guyana="GYD", liberia="LRD", namibia="NAD", solomon="SBD", solomon_islands="SBD"),
    **_of("dollar", surinamese="SRD", suriname="SRD", zimbabwe="ZWL", zim="ZWL", ec="XCD", eastern_caribbean="XCD"),
    **_of("dollar", hongkong="HKD", caymanian="KYD"),
    **_of("pound", scottish="GBP", jersey="GBP", guernsey="GBP", manx="GBP", northern_irish="GBP", gibraltar="GIP"),
    **_of("pound", falkland="FKP", falkland_islands="FKP", st_helena="SHP", saint_helena="SHP"),
    **{"turkey lira": ("TRY",), "chinese renminbi": ("CNY",), "us cent": ("USD",), "euro cent": ("EUR",)},
    **_of("złoty", polish="PLN"),
    **{"polish zlotych": ("PLN",), "polish złotych": ("PLN",), "ukrainian hryvnya": ("UAH",)},
    **_of("sheqel", israeli="ILS", new="ILS", new_israeli="ILS"),
    **{"bosnian convertible mark": ("BAM",), "croatian kuna": ("HRK",), "azerbaijani manat": ("AZN",)},
}
"""A country's word before a currency's says which: `US dollars` under CAD is not CAD, `Egyptian pounds` under GBP
is not GBP. A word read only so (`won`, `dong`, `lei`, `sol`) is ordinary English or a name alone."""
CURRENCIES_OF_WORD = {**_EACH_ONE, **_OTHERS, **_OF_COUNTRIES}
"""`45 euros`, `45 US dollars`, `2000 Kuwaiti dinars`: a currency named in words after the amount, which must not be
counted as 45 of the policy's. A word that may be several currencies (`dinars`) is refused naming them."""
ALSO_NAMES = ("rand", "yuan", "yen", "lira", "naira", "taka", "cedi", "leva", "manat", "baht")
"""Currency words that are also people's names: `credit 20 Rand said thanks` may be rand or someone called Rand."""
_QUALIFIER_WORDS = (
    "extra more whole additional bonus total full odd flat free measly entire actual real good hard-earned "
    "store gift credit cash goodwill refund refunded back other"
)
QUALIFIERS = frozenset(_QUALIFIER_WORDS.split())
"""Words that say how much or what kind, never which currency: `20 extra dollars` is 20 of a policy in dollars, while
`20 extra euros` is euros, refused under any other currency."""
