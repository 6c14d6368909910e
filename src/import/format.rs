//! Which kind of file an upload is: what its Content-Type claims, checked against its first
//! bytes, so a mislabelled upload is refused with a message saying what it really looks like.

use super::ParseError;

/// The Content-Type of an xlsx workbook.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file format the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
    Json,
}

impl FileFormat {
    /// The Content-Type to label this format with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => XLSX_CONTENT_TYPE,
            FileFormat::Csv => "text/csv",
            FileFormat::Json => "application/json",
        }
    }
}

/// What the first bytes of a body look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Looks {
    Empty,
    Zip,
    /// An OLE compound file: an Excel 97–2003 `.xls`, or an encrypted (password) workbook.
    Ole,
    Json,
    Text,
    Binary,
}

impl Looks {
    fn of(bytes: &[u8]) -> Looks {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            return Looks::Zip;
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Looks::Ole;
        }
        // UTF-16 text (Excel's "Unicode text") has NUL bytes but is text.
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Looks::Text;
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let head = &text[..text.len().min(8192)];
        if head.contains(&0) {
            return Looks::Binary;
        }
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            None => Looks::Empty,
            Some(b'{') | Some(b'[') => Looks::Json,
            Some(_) => Looks::Text,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Looks::Empty => "empty",
            Looks::Zip => "a zip archive (such as an xlsx workbook)",
            Looks::Ole => "an Excel 97–2003 (.xls) or password-protected workbook",
            Looks::Json => "JSON",
            Looks::Text => "plain text (such as CSV)",
            Looks::Binary => "binary data",
        }
    }
}

/// Decides the format from the Content-Type (parameters such as `charset` ignored) and the
/// bytes. A missing Content-Type, `application/octet-stream` and `text/plain` are sniffed;
/// `application/vnd.ms-excel` (what Windows browsers send for a `.csv`) is read as xlsx or CSV
/// by its bytes. A claim the bytes contradict, an unknown Content-Type, `.xls` and
/// password-protected workbooks are [`super::ParseErrorKind::UnsupportedFormat`] (415); an
/// empty body is [`super::ParseErrorKind::Invalid`] (422).
pub fn detect_format(content_type: Option<&str>, bytes: &[u8]) -> Result<FileFormat, ParseError> {
    let looks = Looks::of(bytes);
    if looks == Looks::Empty {
        return Err(ParseError::invalid("the file is empty"));
    }
    if looks == Looks::Ole {
        return Err(ParseError::unsupported(
            "this is an Excel 97–2003 (.xls) workbook or a password-protected one; \
             save it in Excel as .xlsx (Excel Workbook) without a password",
        ));
    }
    let media_type = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let claimed = match media_type.as_str() {
        ""
        | "application/octet-stream"
        | "binary/octet-stream"
        | "text/plain"
        | "application/vnd.ms-excel" => None,
        XLSX_CONTENT_TYPE => Some(FileFormat::Xlsx),
        "text/csv"
        | "application/csv"
        | "text/comma-separated-values"
        | "text/x-csv"
        | "text/tab-separated-values" => Some(FileFormat::Csv),
        "application/json" | "text/json" => Some(FileFormat::Json),
        other if other.ends_with("+json") => Some(FileFormat::Json),
        other => {
            return Err(ParseError::unsupported(format!(
                "Content-Type {other} is not an import format; send an xlsx workbook \
                 ({XLSX_CONTENT_TYPE}), a CSV file (text/csv) or JSON (application/json)"
            )))
        }
    };
    let found = match looks {
        Looks::Zip => Some(FileFormat::Xlsx),
        Looks::Json => Some(FileFormat::Json),
        Looks::Text => Some(FileFormat::Csv),
        Looks::Binary | Looks::Empty | Looks::Ole => None,
    };
    match (claimed, found) {
        (None, Some(format)) => Ok(format),
        (Some(claim), Some(format)) if claim == format => Ok(format),
        (None, None) => Err(ParseError::unsupported(format!(
            "the file is {}, not an xlsx workbook, a CSV file or JSON",
            looks.describe()
        ))),
        (Some(claim), _) => Err(ParseError::unsupported(format!(
            "the Content-Type says {} but the file is {}",
            claim_name(claim),
            looks.describe()
        ))),
    }
}

fn claim_name(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Xlsx => "an xlsx workbook",
        FileFormat::Csv => "CSV",
        FileFormat::Json => "JSON",
    }
}

#[cfg(test)]
mod tests {
    use super::super::ParseErrorKind;
    use super::*;

    const ZIP: &[u8] = b"PK\x03\x04rest";

    #[test]
    fn content_type_and_bytes_agree() {
        let xlsx = Some(XLSX_CONTENT_TYPE);
        assert_eq!(detect_format(xlsx, ZIP), Ok(FileFormat::Xlsx));
        let csv = Some("text/csv; charset=windows-1252");
        assert_eq!(detect_format(csv, b"a;b\n1;2"), Ok(FileFormat::Csv));
        let json = Some("Application/JSON");
        assert_eq!(detect_format(json, b" {\"a\": []}"), Ok(FileFormat::Json));
        let problem = Some("application/problem+json");
        assert_eq!(detect_format(problem, b"{}"), Ok(FileFormat::Json));
        assert_eq!(
            detect_format(Some("text/csv"), b"\xFF\xFEa\0;\0b\0"),
            Ok(FileFormat::Csv)
        );
    }

    #[test]
    fn missing_or_generic_content_type_is_sniffed() {
        for generic in [
            None,
            Some("application/octet-stream"),
            Some("text/plain"),
            Some(""),
        ] {
            assert_eq!(detect_format(generic, ZIP), Ok(FileFormat::Xlsx));
            assert_eq!(
                detect_format(generic, b"\xEF\xBB\xBF[1]"),
                Ok(FileFormat::Json)
            );
            assert_eq!(detect_format(generic, b"namn,typ\n"), Ok(FileFormat::Csv));
        }
        let excel = Some("application/vnd.ms-excel");
        assert_eq!(detect_format(excel, b"namn;typ\n"), Ok(FileFormat::Csv));
        assert_eq!(detect_format(excel, ZIP), Ok(FileFormat::Xlsx));
    }

    #[test]
    fn claims_the_bytes_contradict_are_unsupported() {
        let cases: [(&str, &[u8], &str); 4] = [
            (XLSX_CONTENT_TYPE, b"a,b\n1,2", "plain text"),
            ("text/csv", ZIP, "zip archive"),
            ("application/json", b"a,b", "plain text"),
            ("text/csv", b"\x89PNG\r\n\x1a\n\0\0", "binary"),
        ];
        for (content_type, bytes, looks) in cases {
            let err = detect_format(Some(content_type), bytes).unwrap_err();
            assert_eq!(
                err.kind,
                ParseErrorKind::UnsupportedFormat,
                "{content_type}"
            );
            assert!(err.to_string().contains(looks), "{err}");
        }
    }

    #[test]
    fn other_kinds_are_refused() {
        let err = detect_format(Some("application/pdf"), b"%PDF-1.7").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::UnsupportedFormat);
        assert!(err.to_string().contains("application/pdf"));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        let err = detect_format(None, &ole).unwrap_err();
        assert!(err.to_string().contains(".xls"), "{err}");
        let err = detect_format(None, b"\0\x01\x02").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::UnsupportedFormat);
        let err = detect_format(Some("text/csv"), b"  \n").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Invalid);
    }
}
