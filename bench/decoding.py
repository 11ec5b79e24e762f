"""How often decoding gives the wrong text: ours, charset_normalizer's best guess alone, and the rule
cleaner had before (charset_normalizer, windows-1252 when it scores as well as the best).

    PYTHONPATH=$PWD python3 bench/decoding.py

The texts are short news-like paragraphs written for this bench in 12 Western European languages and
8 others, each also cut to its first sentence, its first five words and its first accented word (short
inputs are where detection fails). Classes: Western text in Latin-1 and windows-1252; other languages
in their legacy code pages (no declaration: detection alone); UTF-8 with 1 and with 3 stray Latin-1
bytes; mixed: a Western paragraph in Latin-1 followed by a line in UTF-8, and the other way round. A
result is right when it is the original text (for stray bytes: once the U+FFFD are removed; mixed: the
paragraph, whatever became of the line after it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from charset_normalizer import from_bytes

from cleaner.extract.decode import DecodeError, decode_bytes

MIXED = "mixed"

WESTERN = {
    "fr": "Le café de la gare était fermé ; à côté, une boulangerie vendait des crêpes et des éclairs. Les "
          "élèves, déçus, sont allés à la bibliothèque où l'on prête des livres sur l'histoire de la forêt.",
    "de": "Die Größe der Straße überraschte die Bürger. Für die Übung müssen Schüler früh aufstehen, während "
          "draußen der Schnee fällt und die Bäume schön glänzen.",
    "es": "El niño comió piña en la montaña. ¿Dónde está la estación? Según el señor Muñoz, la canción más "
          "famosa del año se escuchó en Málaga y en Cádiz.",
    "pt": "A educação é a solução para a nação. Não há razão para não investir em inovação, disse o ministro "
          "após a reunião em São Paulo, na quinta-feira.",
    "it": "Perché la città è così affollata? Il caffè costa più di un euro, però la qualità è alta e "
          "l'università offre attività gratuite.",
    "nl": "De coördinatie van het project verliep moeizaam, maar de ideeën van de financiële commissie waren "
          "gedegen en de reünie was een succes.",
    "sv": "Många människor åker till skärgården på sommaren. Där äter de räkor och jordgubbar, och barnen "
          "badar i sjön när vädret är vackert.",
    "da": "Det var en kold morgen i København, og børnene gik til skole gennem den våde park, mens fuglene "
          "sang på de høje træer.",
    "is": "Þetta er íslenskur texti um veðrið á Íslandi. Það rigndi mikið í gær, og fólkið fór heim úr "
          "vinnunni snemma.",
    "fi": "Hyvää huomenta! Tänään sää on kylmä, ja järvellä on jäätä. Lapset leikkivät pihalla, ja äiti "
          "keittää kahvia keittiössä.",
    "en": "“It’s not over,” she said — and she was right… The café’s owner agreed: “We’ll reopen in spring.”",
    "fr_quotes": "« C’est la fin », a-t-il déclaré. Le coût : 12 € par élève — trop cher pour l’école.",
}
OTHER = {
    "ru": ("Москва — столица России, крупнейший по численности населения город страны. В городе много "
           "музеев, театров и парков.", ["cp1251", "koi8_r"]),
    "pl": ("Zażółć gęślą jaźń. Wczoraj w Łodzi padał śnieg, a dzieci jeździły na sankach po ośnieżonych "
           "ulicach miasta.", ["cp1250", "iso8859_2"]),
    "cs": ("Příliš žluťoučký kůň úpěl ďábelské ódy. V Praze dnes svítí slunce a na náměstí je spousta "
           "turistů.", ["cp1250", "iso8859_2"]),
    "el": ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. Σήμερα ο καιρός είναι ζεστός και οι τουρίστες "
           "επισκέπτονται την Ακρόπολη.", ["cp1253", "iso8859_7"]),
    "tr": ("Bugün İstanbul'da hava çok güzel. Çocuklar parkta oynuyor, öğretmenler ise okulda öğrencileri "
           "bekliyor.", ["cp1254"]),
    "ja": ("東京は日本の首都であり、世界有数の大都市です。今日は朝から雨が降っていて、駅には傘を持った人が"
           "たくさんいました。新しい図書館が来月開館する予定です。", ["shift_jis", "cp932", "euc_jp"]),
    "zh": ("北京是中华人民共和国的首都，也是全国的政治、文化中心。今天天气晴朗，很多市民到公园散步。"
           "新的地铁线路将于明年开通。", ["gb18030", "gbk", "big5"]),
    "ko": ("서울은 대한민국의 수도이다. 오늘은 날씨가 맑아서 많은 사람들이 공원에 산책을 나갔다. 새로운 "
           "도서관이 다음 달에 문을 연다.", ["euc_kr", "cp949"]),
}


def pieces(text: str) -> list[str]:
    """The text, its first sentence, its first five words and its first accented word."""
    words = text.split()
    accented = [word for word in words if not word.isascii()]
    return [text, text.split(". ")[0], " ".join(words[:5]), *accented[:1]]


def with_stray_bytes(text: str, count: int) -> bytes:
    """`text` in UTF-8 with `count` Latin-1 "é" bytes between characters, spread evenly."""
    data = text.encode("utf-8")
    for n in range(count):
        position = len(data) * (n + 1) // (count + 1)
        while position < len(data) and data[position] & 0xC0 == 0x80:  # not inside a character
            position += 1
        data = data[:position] + b"\xe9" + data[position:]
    return data


def legacy_cases(kind: str, text: str, encodings: list[str]) -> Iterator[tuple[str, bytes, str]]:
    """Each piece of `text` in each encoding that can write it (Latin-1 has no curly quotes, KOI8-R no dash)."""
    for encoding in encodings:
        for piece in pieces(text):
            try:
                yield kind, piece.encode(encoding), piece
            except UnicodeEncodeError:
                continue


def cases() -> Iterator[tuple[str, bytes, str]]:
    """(class, bytes, the text they hold)."""
    for text in WESTERN.values():
        yield from legacy_cases("western", text, ["latin-1", "cp1252"])
    for text, encodings in OTHER.values():
        yield from legacy_cases("other", text, encodings)
    for text in [*WESTERN.values(), *(text for text, _ in OTHER.values())]:
        for count in (1, 3):
            yield "utf8_stray_bytes", with_stray_bytes(text, count), text
    # one line in the other encoding appended: only the text before it can come out right
    for text in WESTERN.values():
        if all(ord(char) < 256 for char in text):
            yield MIXED, text.encode("latin-1") + "\nGrößere Straßen.".encode(), text
        yield MIXED, text.encode("utf-8") + "\nUn café crème.".encode("latin-1"), text


def right(decoded: str | None, text: str, kind: str) -> bool:
    if decoded is None:
        return False
    return decoded.startswith(text + "\n") if kind == MIXED else decoded == text


def ours(data: bytes) -> str | None:
    try:
        return decode_bytes(data, 0.02).text.replace("\ufffd", "")
    except DecodeError:
        return None


def charset_normalizer_alone(data: bytes) -> str | None:
    best = from_bytes(data).best()
    return None if best is None else str(best)


def windows_1252_on_ties(data: bytes) -> str | None:
    """cleaner before the decoding rules: UTF-8, else charset_normalizer with windows-1252 on equal scores."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = set(best.could_be_from_charset) | {
        m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    return data.decode("cp1252", errors="replace") if "cp1252" in tied else str(best)


def main() -> None:
    decoders: dict[str, Callable[[bytes], str | None]] = {
        "charset_normalizer": charset_normalizer_alone, "cp1252_on_ties": windows_1252_on_ties, "cleaner": ours}
    wrong: dict[tuple[str, str], int] = {}
    total: dict[str, int] = {}
    for kind, data, text in cases():
        total[kind] = total.get(kind, 0) + 1
        for name, decode in decoders.items():
            wrong[name, kind] = wrong.get((name, kind), 0) + (not right(decode(data), text, kind))
    print(f"{'class':<18}{'inputs':>8}" + "".join(f"{name + ' wrong':>26}" for name in decoders))
    for kind, count in total.items():
        print(f"{kind:<18}{count:>8}" + "".join(f"{wrong[name, kind]:>26}" for name in decoders))


if __name__ == "__main__":
    main()
