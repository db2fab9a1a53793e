"""Write the hand-made REFI-QDA fixtures in ``fixtures/<tool>/`` (run once; output committed).

Each imitates what the tool really writes (see fixtures/README.md): NVivo counts
UTF-16 code units with CRLF kept and writes a BOM; ATLAS.ti counts a CRLF as one character;
MAXQDA writes selections without codings, cases without names and PDF sources; QualCoder
writes categories as ``isCodable="false"`` and notes on sources.  Tests zip each folder.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "fixtures"
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def span(text: str, quote: str, unit: str = "cp") -> tuple[int, int]:
    start = text.index(quote)
    end = start + len(quote)
    if unit == "utf16":
        return utf16(text, start), utf16(text, end)
    if unit == "crlf-one":
        return start - text[:start].count("\r\n"), end - text[:end].count("\r\n")
    return start, end


def write(tool: str, qde: str, files: dict[str, bytes]) -> None:
    folder = HERE / tool
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.qde").write_text(HEAD + qde, encoding="utf-8")
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


#: NVivo's second source: Hungarian, emoji outside the BMP (one a ZWJ sequence), a letter
#: with a combining accent, CRLF line ends; quotes that start or end at an emoji.
HUNGARIAN = (
    "Kérdező: Milyen volt az ügyintézés? 🙂\r\n"
    "Éva: Hosszú sor állt az ügyfélszolgálaton 😤, de a munkatárs kedves volt 👍🏽.\r\n"
    "Kérdező: És az alkalmazás?\r\n"
    "Éva: Az app többször összeomlott 🤦\u200d♀️, végül papíron töltöttem ki az űrlapot.\r\n"
    "Éva: A kérvény státusza most: elbi\u0301ra\u0301lva 🎉 — három hét után.\r\n"
)
HUNGARIAN_QUOTES = [
    ("V", "Hosszú sor állt az ügyfélszolgálaton 😤"),
    ("B", "😤, de a munkatárs kedves volt 👍🏽"),
    ("A", "összeomlott 🤦\u200d♀️, végül papíron"),
    ("A", "elbi\u0301ra\u0301lva 🎉"),
    ("V", "három hét után."),
]


def nvivo() -> None:
    text = "Intervjuare: Hur var besöket?\r\nAnna: Väntan 😀 var lång.\r\nAnna: Personalen var 👍🏽 snäll.\r\n"
    a = span(text, "var lång", "utf16")
    b = span(text, "Personalen var 👍🏽 snäll", "utf16")
    codes = {
        "V": "C0000000-0000-4000-8000-000000000001",
        "B": "C0000000-0000-4000-8000-000000000002",
        "A": "C0000000-0000-4000-8000-000000000003",
    }
    selections = []
    for i, (code, quote) in enumerate(HUNGARIAN_QUOTES, start=1):
        s, e = span(HUNGARIAN, quote, "utf16")
        selections.append(
            f"""      <PlainTextSelection guid="5E100000-0000-4000-8000-00000000000{i}" name="{quote[:20]}" startPosition="{s}" endPosition="{e}" creatingUser="A1B2C3D4-0000-4000-8000-000000000002" creationDateTime="2023-11-0{i}T09:1{i}:00+01:00">
        <Coding guid="C1100000-0000-4000-8000-00000000000{i}" creatingUser="A1B2C3D4-0000-4000-8000-000000000002" creationDateTime="2023-11-0{i}T09:1{i}:30+01:00">
          <CodeRef targetGUID="{codes[code]}" />
        </Coding>
      </PlainTextSelection>
"""
        )
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="Besök" origin="NVivo 14.23.0 (Windows)">
  <Users>
    <User guid="{{A1B2C3D4-0000-4000-8000-000000000001}}" name="Kim" />
    <User guid="A1B2C3D4-0000-4000-8000-000000000002" name="Zsófi" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="C0000000-0000-4000-8000-000000000001" name="Väntan" isCodable="true" color="#FF0000" />
      <Code guid="C0000000-0000-4000-8000-000000000002" name="Bemötande" isCodable="true" color="#00FF00" />
      <Code guid="C0000000-0000-4000-8000-000000000003" name="Alkalmazás" isCodable="true" color="#0000FF" />
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="F0000000-0000-4000-8000-000000000001" name="Ålder" typeOfVariable="Integer" />
  </Variables>
  <Cases>
    <Case guid="CA000000-0000-4000-8000-000000000001" name="Anna">
      <VariableValue>
        <VariableRef targetGUID="F0000000-0000-4000-8000-000000000001" />
        <IntegerValue>41</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="50000000-0000-4000-8000-000000000001" />
    </Case>
    <Case guid="CA000000-0000-4000-8000-000000000002" name="Éva">
      <VariableValue>
        <VariableRef targetGUID="F0000000-0000-4000-8000-000000000001" />
        <IntegerValue>29</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="50000000-0000-4000-8000-000000000002" />
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="50000000-0000-4000-8000-000000000001" name="Anna intervju" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt" richTextPath="internal://50000000-0000-4000-8000-000000000001.docx">
      <PlainTextSelection guid="5E000000-0000-4000-8000-000000000001" startPosition="{a[0]}" endPosition="{a[1]}" creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
        <Coding guid="C1000000-0000-4000-8000-000000000001" creatingUser="{{A1B2C3D4-0000-4000-8000-000000000001}}">
          <CodeRef targetGUID="{{C0000000-0000-4000-8000-000000000001}}" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E000000-0000-4000-8000-000000000002" startPosition="{b[0]}" endPosition="{b[1]}" creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
        <Coding guid="C1000000-0000-4000-8000-000000000002" creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C0000000-0000-4000-8000-000000000002" />
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="50000000-0000-4000-8000-000000000002" name="Éva interjú" plainTextPath="internal://50000000-0000-4000-8000-000000000002.txt" richTextPath="internal://50000000-0000-4000-8000-000000000002.docx">
{"".join(selections)}    </TextSource>
  </Sources>
</Project>
"""
    bom = "\ufeff".encode()
    write(
        "nvivo",
        qde,
        {
            "Sources/50000000-0000-4000-8000-000000000001.txt": bom + text.encode("utf-8"),
            "Sources/50000000-0000-4000-8000-000000000002.txt": bom + HUNGARIAN.encode("utf-8"),
        },
    )


def atlasti() -> None:
    text = "Första stycket om kön.\r\nDet tog lång tid.\r\n\r\nAndra stycket: appen kraschade.\r\n"
    a = span(text, "appen kraschade", "crlf-one")
    b = span(text, "lång tid.\r\n\r\nAndra", "crlf-one")
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="Appstudie" origin="ATLAS.ti 23.4.0.29360 (Windows)">
  <Users>
    <User guid="A1000000-0000-4000-8000-000000000001" name="Sam" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="C2000000-0000-4000-8000-000000000001" name="Teknisk kvalitet" isCodable="true" color="#3366cc">
        <Description>Hur tjänsten fungerar tekniskt.</Description>
      </Code>
      <Code guid="C2000000-0000-4000-8000-000000000002" name="Tid" isCodable="true" color="#cc6633" />
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="51000000-0000-4000-8000-000000000001" name="Intervju 3.txt" plainTextPath="internal://51000000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="5F000000-0000-4000-8000-000000000001" name="appen kraschade" startPosition="{a[0]}" endPosition="{a[1]}" creatingUser="A1000000-0000-4000-8000-000000000001">
        <Coding guid="C3000000-0000-4000-8000-000000000001" creatingUser="A1000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C2000000-0000-4000-8000-000000000001" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5F000000-0000-4000-8000-000000000002" startPosition="{b[0]}" endPosition="{b[1]}" creatingUser="A1000000-0000-4000-8000-000000000001">
        <Coding guid="C3000000-0000-4000-8000-000000000002" creatingUser="A1000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C2000000-0000-4000-8000-000000000002" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5F000000-0000-4000-8000-000000000003" startPosition="70" endPosition="900" creatingUser="A1000000-0000-4000-8000-000000000001">
        <Coding guid="C3000000-0000-4000-8000-000000000003" creatingUser="A1000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C2000000-0000-4000-8000-000000000002" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5F000000-0000-4000-8000-000000000004" startPosition="0" endPosition="6" creatingUser="A1000000-0000-4000-8000-000000000001">
        <Coding guid="C3000000-0000-4000-8000-000000000004" creatingUser="A1000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C2000000-0000-4000-8000-0000000000FF" />
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Sets>
    <Set guid="5A000000-0000-4000-8000-000000000001" name="Kvalitet">
      <MemberCode guid="C2000000-0000-4000-8000-000000000001" />
    </Set>
  </Sets>
</Project>
"""
    write("atlasti", qde, {"sources/51000000-0000-4000-8000-000000000001.txt": text.encode()})


def maxqda() -> None:
    text = "Jag bokade tid via appen.\r\nSen kom ett sms om ändrad tid.\r\n"
    a = span(text, "bokade tid via appen")
    b = span(text, "sms om ändrad tid")
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="Bokning" origin="MAXQDA 2022 (Release 22.7.0)">
  <Users>
    <User guid="A2000000-0000-4000-8000-000000000001" name="Mika" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="C4000000-0000-4000-8000-000000000001" name="Bokning" isCodable="true" color="#008000">
        <Code guid="C4000000-0000-4000-8000-000000000002" name="App" isCodable="true" color="#00A000" />
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="F2000000-0000-4000-8000-000000000001" name="Grupp" typeOfVariable="Text" />
  </Variables>
  <Cases>
    <Case guid="CA200000-0000-4000-8000-000000000001">
      <SourceRef targetGUID="52000000-0000-4000-8000-000000000001" />
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="52000000-0000-4000-8000-000000000001" name="Intervju Mika" plainTextPath="internal://52000000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="5D000000-0000-4000-8000-000000000001" name="bokade tid via appen" startPosition="{a[0]}" endPosition="{a[1]}" creatingUser="A2000000-0000-4000-8000-000000000001">
        <Coding guid="C5000000-0000-4000-8000-000000000001" creatingUser="A2000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C4000000-0000-4000-8000-000000000002" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5D000000-0000-4000-8000-000000000002" name="sms om ändrad tid" startPosition="{b[0]}" endPosition="{b[1]}" creatingUser="A2000000-0000-4000-8000-000000000001" />
      <VariableValue>
        <VariableRef targetGUID="F2000000-0000-4000-8000-000000000001" />
        <TextValue>Äldre</TextValue>
      </VariableValue>
    </TextSource>
    <PDFSource guid="53000000-0000-4000-8000-000000000001" name="Broschyr.pdf" path="internal://53000000-0000-4000-8000-000000000001.pdf">
      <PDFSelection guid="5D000000-0000-4000-8000-000000000003" page="1" firstX="10" firstY="10" secondX="200" secondY="80">
        <Coding guid="C5000000-0000-4000-8000-000000000003">
          <CodeRef targetGUID="C4000000-0000-4000-8000-000000000001" />
        </Coding>
      </PDFSelection>
    </PDFSource>
  </Sources>
</Project>
"""
    write("maxqda", qde, {"Sources/52000000-0000-4000-8000-000000000001.txt": text.encode()})


def qualcoder() -> None:
    text = "Q: Hur ofta använder du tjänsten?\nP3: Varje dag, den är en del av vardagen.\n"
    a = span(text, "Varje dag, den är en del av vardagen.")
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="vardag" origin="QualCoder 3.5" creatingUserGUID="A3000000-0000-4000-8000-000000000001">
  <Users>
    <User guid="A3000000-0000-4000-8000-000000000001" name="default" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="C6000000-0000-4000-8000-000000000001" name="Vardag" isCodable="false" color="#AAAAAA">
        <Code guid="C6000000-0000-4000-8000-000000000002" name="Rutin" isCodable="true" color="#AA00AA">
          <Description>Återkommande användning</Description>
        </Code>
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="54000000-0000-4000-8000-000000000001" name="p3.txt" plainTextPath="internal://54000000-0000-4000-8000-000000000001.txt" creatingUser="A3000000-0000-4000-8000-000000000001">
      <PlainTextSelection guid="5C000000-0000-4000-8000-000000000001" startPosition="{a[0]}" endPosition="{a[1]}" creatingUser="A3000000-0000-4000-8000-000000000001" creationDateTime="2024-03-01T10:00:00Z">
        <Coding guid="C7000000-0000-4000-8000-000000000001" creatingUser="A3000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C6000000-0000-4000-8000-000000000002" />
        </Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="B0000000-0000-4000-8000-000000000001" />
    </TextSource>
    <PictureSource guid="55000000-0000-4000-8000-000000000001" name="skärm.png" path="internal://55000000-0000-4000-8000-000000000001.png" />
  </Sources>
  <Notes>
    <Note guid="B0000000-0000-4000-8000-000000000001" name="p3 memo" creatingUser="A3000000-0000-4000-8000-000000000001">
      <PlainTextContent>Deltagaren verkar van.</PlainTextContent>
    </Note>
    <Note guid="B0000000-0000-4000-8000-000000000002" name="Journal 1" creatingUser="A3000000-0000-4000-8000-000000000001">
      <PlainTextContent>Första intryck.</PlainTextContent>
    </Note>
  </Notes>
</Project>
"""
    write("qualcoder", qde, {"sources/54000000-0000-4000-8000-000000000001.txt": text.encode()})


if __name__ == "__main__":
    nvivo()
    atlasti()
    maxqda()
    qualcoder()
