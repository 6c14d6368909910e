//! Text rules for Swedish names: the sort key that puts å, ä, ö after z, and search patterns.

/// A key whose byte order is Swedish alphabetical order, case-insensitive.
///
/// Stored beside each name (`name_sort`) and compared bytewise (`COLLATE "C"` on PostgreSQL,
/// BINARY on SQLite), so both databases sort the same way and an index serves the order.
/// å, ä, ö map to the three characters after `z` in ASCII; æ and ø sort as ä and ö, ü as y,
/// and other accented letters as their base letter, as Swedish dictionaries do.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' => '{',
            'ä' | 'æ' => '|',
            'ö' | 'ø' => '}',
            'à' | 'á' | 'â' | 'ã' | 'ā' => 'a',
            'ç' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' => 'o',
            'ù' | 'ú' | 'û' => 'u',
            'ü' | 'ý' | 'ÿ' => 'y',
            'š' => 's',
            'ž' => 'z',
            // The three stand-ins must not collide with real punctuation in names.
            '{' | '|' | '}' => '~',
            other => other,
        };
        key.push(mapped);
    }
    key
}

/// A `LIKE` pattern matching `q` anywhere in a sort key, with `%`, `_` and `\` escaped.
pub fn contains_pattern(q: &str) -> String {
    let key = sort_key(q);
    let mut pattern = String::with_capacity(key.len() + 2);
    pattern.push('%');
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_sort_after_z_in_order() {
        let mut names = vec!["Örebro", "Zeta", "Ängelholm", "Åre", "alfa", "Borås"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec!["alfa", "Borås", "Zeta", "Åre", "Ängelholm", "Örebro"]
        );
    }

    #[test]
    fn accents_sort_as_base_letters_and_case_is_ignored() {
        assert_eq!(sort_key("Café"), sort_key("cafe"));
        assert!(sort_key("Müller") > sort_key("Mx"));
    }

    #[test]
    fn patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%"), "%50\\%%");
        assert_eq!(contains_pattern("Skå"), "%sk{%");
    }
}
