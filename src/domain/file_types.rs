//! The files evidence may come as: which media types are accepted, the check that a file's
//! content is what its type claims (magic numbers, UTF-8), its SHA-256, and safe file names.
//! Pure functions, no database: the upload handler runs them before opening a transaction.

use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::domain::documentation_items::DocumentationKind;
use crate::error::{ApiError, FieldError};

/// The largest file accepted, whatever the body limit (the bytes live in the database).
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;

/// The accepted media types and the file extension each gets when no name is given.
pub const ALLOWED_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ("application/vnd.oasis.opendocument.text", "odt"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ("application/vnd.oasis.opendocument.presentation", "odp"),
    ("text/plain", "txt"),
    ("text/csv", "csv"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("message/rfc822", "eml"),
];

const ZIP: &[u8] = b"PK\x03\x04";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG: &[u8] = b"\xff\xd8\xff";

/// The file's bytes, as they are.
// Only documents upload and download bodies (STACK-NOTES: a bare `Vec<u8>` shows as an integer
// array); the handlers read and write the bytes directly.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBody(#[allow(dead_code)] Vec<u8>);

fn allowed_list() -> String {
    ALLOWED_TYPES
        .iter()
        .map(|(t, _)| *t)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The media type of a `Content-Type` header value, lowercased and without parameters; 415
/// unless it is one of [`ALLOWED_TYPES`] (text only as UTF-8).
pub fn media_type(header: Option<&str>) -> Result<String, ApiError> {
    let header = header.unwrap_or("").trim();
    let mut parts = header.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    if !ALLOWED_TYPES.iter().any(|(t, _)| *t == mime) {
        let got = if mime.is_empty() {
            "no Content-Type".to_owned()
        } else {
            format!("Content-Type {mime}")
        };
        return Err(ApiError::UnsupportedMediaType(format!(
            "{got} is not accepted for documentation files; send the file with one of: {}",
            allowed_list()
        )));
    }
    if mime.starts_with("text/") {
        for param in parts {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            let value = value.trim().trim_matches('"').to_ascii_lowercase();
            if name.trim().eq_ignore_ascii_case("charset")
                && !matches!(value.as_str(), "utf-8" | "utf8" | "us-ascii")
            {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "text files must be UTF-8, not charset={value}"
                )));
            }
        }
    }
    Ok(mime)
}

fn mismatch(message: String) -> ApiError {
    ApiError::Validation(vec![FieldError::new("file", message)])
}

/// The name and content of a ZIP archive's first entry, when it is stored uncompressed (as ODF
/// requires of its `mimetype` entry).
fn first_zip_entry(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let u16_at = |i: usize| -> Option<usize> {
        Some(usize::from(u16::from_le_bytes([
            *data.get(i)?,
            *data.get(i + 1)?,
        ])))
    };
    let u32_at = |i: usize| -> Option<usize> {
        let b = data.get(i..i + 4)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    };
    let method = u16_at(8)?;
    let stored_size = u32_at(18)?;
    let name_len = u16_at(26)?;
    let extra_len = u16_at(28)?;
    let name = data.get(30..30 + name_len)?;
    let start = 30 + name_len + extra_len;
    let content = if method == 0 {
        data.get(start..start + stored_size)?
    } else {
        &[]
    };
    Some((name, content))
}

/// Checks the bytes against the claimed media type by their magic numbers (422 on `file` when
/// they disagree), so a mislabelled or renamed file is caught at upload, not by an auditor.
pub fn check_content(content_type: &str, data: &[u8]) -> Result<(), ApiError> {
    if data.is_empty() {
        return Err(mismatch("the file is empty".to_owned()));
    }
    match content_type {
        // Readers accept a PDF header anywhere in the first KiB (some generators put junk first).
        "application/pdf" => {
            let head = &data[..data.len().min(1024)];
            if !head.windows(5).any(|w| w == b"%PDF-") {
                return Err(mismatch(
                    "the content is not a PDF (no %PDF- header)".to_owned(),
                ));
            }
        }
        t if t.starts_with("application/vnd.") => {
            if !data.starts_with(ZIP) {
                return Err(mismatch(format!(
                    "the content is not an office document: {t} is a ZIP archive and must start with PK"
                )));
            }
            // ODF names its own type in a leading `mimetype` entry; it must agree with the claim
            // (an .ods sent as .odt, or any ODF sent as OOXML, is refused).
            if let Some((name, declared)) = first_zip_entry(data) {
                if name == b"mimetype" && !declared.is_empty() && declared != t.as_bytes() {
                    return Err(mismatch(format!(
                        "the document says it is {}, not {t}",
                        String::from_utf8_lossy(declared)
                    )));
                }
            }
        }
        "image/png" if !data.starts_with(PNG) => {
            return Err(mismatch("the content is not a PNG image".to_owned()));
        }
        "image/jpeg" if !data.starts_with(JPEG) => {
            return Err(mismatch("the content is not a JPEG image".to_owned()));
        }
        "text/plain" | "text/csv" => {
            if std::str::from_utf8(data).is_err() {
                return Err(mismatch(
                    "text files must be UTF-8; save the file as UTF-8 and send it again".to_owned(),
                ));
            }
            if data.contains(&0) {
                return Err(mismatch(
                    "the content is binary, not text (it contains NUL bytes)".to_owned(),
                ));
            }
        }
        "message/rfc822" => {
            // No magic number; an e-mail starts with a header field (`Name: value`).
            let first_line = data.split(|b| *b == b'\n').next().unwrap_or(&[]);
            let field = first_line.split(|b| *b == b':').next().unwrap_or(&[]);
            let is_field = !field.is_empty()
                && field.len() < first_line.len()
                && field.iter().all(|b| (33..=126).contains(b) && *b != b':');
            if !is_field || data.contains(&0) {
                return Err(mismatch(
                    "the content is not an e-mail message (it must start with a header field such as From:)"
                        .to_owned(),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file name safe to store and to send back in a header: the last path segment, without
/// control characters, at most 255 characters.
pub fn clean_file_name(raw: &str) -> Result<Option<String>, ApiError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let name: String = last.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.chars().count() > 255 {
        return Err(ApiError::field(
            "file_name",
            "length must be at most 255 characters",
        ));
    }
    Ok(Some(name.to_owned()).filter(|n| !n.is_empty() && n != "." && n != ".."))
}

/// `risk_analysis.pdf` and the like, when the client gave no name.
pub fn default_file_name(kind: DocumentationKind, content_type: &str) -> String {
    let ext = ALLOWED_TYPES
        .iter()
        .find(|(t, _)| *t == content_type)
        .map(|(_, e)| *e)
        .unwrap_or("bin");
    format!("{kind}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_error(r: Result<(), ApiError>) -> bool {
        matches!(r, Err(ApiError::Validation(ref l)) if l[0].field == "file")
    }

    #[test]
    fn media_types_are_normalised_and_limited() {
        assert_eq!(
            media_type(Some("Application/PDF; name=x")).ok().as_deref(),
            Some("application/pdf")
        );
        assert!(media_type(Some("text/csv; charset=UTF-8")).is_ok());
        assert!(matches!(
            media_type(Some("text/csv; charset=windows-1252")),
            Err(ApiError::UnsupportedMediaType(_))
        ));
        match media_type(Some("application/zip")) {
            Err(ApiError::UnsupportedMediaType(m)) => assert!(m.contains("application/pdf")),
            other => panic!("unexpected {other:?}"),
        }
        assert!(media_type(None).is_err());
    }

    #[test]
    fn content_must_match_the_claimed_type() {
        assert!(check_content("application/pdf", b"%PDF-1.4\n...").is_ok());
        assert!(field_error(check_content("image/png", b"%PDF-1.4\n...")));
        assert!(check_content("image/png", b"\x89PNG\r\n\x1a\n....").is_ok());
        assert!(check_content("image/jpeg", b"\xff\xd8\xff\xe0..").is_ok());
        assert!(field_error(check_content("image/jpeg", b"GIF89a")));
        assert!(field_error(check_content(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"%PDF-1.4"
        )));
        assert!(check_content("text/csv", "namn;år\nÅsa;2026\n".as_bytes()).is_ok());
        assert!(field_error(check_content("text/plain", b"caf\xe9")));
        assert!(field_error(check_content("text/plain", b"")));
        assert!(check_content("message/rfc822", b"From: a@b.se\r\nSubject: x\r\n\r\nhej").is_ok());
        assert!(field_error(check_content("message/rfc822", b"%PDF-1.4\n")));
    }

    #[test]
    fn odf_documents_must_name_the_claimed_type() {
        let odt = b"application/vnd.oasis.opendocument.text";
        let mut zip = Vec::new();
        zip.extend_from_slice(ZIP);
        zip.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let len = u32::try_from(odt.len()).unwrap_or_default().to_le_bytes();
        zip.extend_from_slice(&len); // compressed size
        zip.extend_from_slice(&len); // size
        zip.extend_from_slice(&[8, 0, 0, 0]);
        zip.extend_from_slice(b"mimetype");
        zip.extend_from_slice(odt);
        assert!(check_content("application/vnd.oasis.opendocument.text", &zip).is_ok());
        assert!(field_error(check_content(
            "application/vnd.oasis.opendocument.spreadsheet",
            &zip
        )));
        assert!(field_error(check_content(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &zip
        )));
    }

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(
            clean_file_name("C:\\Users\\anna\\Riskanalys ÅÄÖ.pdf")
                .ok()
                .flatten()
                .as_deref(),
            Some("Riskanalys ÅÄÖ.pdf")
        );
        assert_eq!(
            clean_file_name("../../etc/pass\r\nwd")
                .ok()
                .flatten()
                .as_deref(),
            Some("passwd")
        );
        assert_eq!(clean_file_name("  ").ok().flatten(), None);
        assert!(clean_file_name(&"x".repeat(256)).is_err());
        assert_eq!(
            default_file_name(DocumentationKind::RiskAnalysis, "application/pdf"),
            "risk_analysis.pdf"
        );
    }
}
