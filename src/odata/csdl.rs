//! The two documents that describe the feed: the service document (the entity sets, what
//! Power BI's navigator lists) and `$metadata` (CSDL XML: one entity type per set, typed
//! properties with their nullability, one entity container).

use serde_json::json;

use super::model::{EdmType, Property, CONTAINER, NAMESPACE};

/// What the documents need to know of an entity set.
pub struct SetInfo<'a> {
    pub name: &'a str,
    pub type_name: &'a str,
    pub title: &'a str,
    pub key: &'a str,
    pub properties: &'a [Property],
}

/// `GET /odata/`: the service document.
pub fn service_document(base: &str, sets: &[SetInfo<'_>]) -> serde_json::Value {
    let value: Vec<serde_json::Value> = sets
        .iter()
        .map(|s| json!({"name": s.name, "kind": "EntitySet", "url": s.name, "title": s.title}))
        .collect();
    json!({
        "@odata.context": format!("{base}/odata/$metadata"),
        "value": value,
    })
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn facets(p: &Property) -> &'static str {
    match p.edm {
        // Timestamps carry microseconds (both databases store them so).
        EdmType::DateTimeOffset => " Precision=\"6\"",
        EdmType::Decimal => " Scale=\"variable\"",
        _ => "",
    }
}

/// `GET /odata/$metadata`: the CSDL document.
pub fn metadata(sets: &[SetInfo<'_>]) -> String {
    let mut xml = String::with_capacity(16 * 1024);
    xml.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n",
        "  <edmx:DataServices>\n",
    ));
    xml.push_str(&format!(
        "    <Schema Namespace=\"{NAMESPACE}\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n"
    ));
    for set in sets {
        xml.push_str(&format!(
            "      <EntityType Name=\"{}\">\n        <Key><PropertyRef Name=\"{}\"/></Key>\n",
            set.type_name, set.key
        ));
        for p in set.properties {
            xml.push_str(&format!(
                "        <Property Name=\"{}\" Type=\"{}\" Nullable=\"{}\"{}/>\n",
                p.name,
                p.edm.name(),
                p.nullable,
                facets(p)
            ));
        }
        xml.push_str("      </EntityType>\n");
    }
    xml.push_str(&format!("      <EntityContainer Name=\"{CONTAINER}\">\n"));
    for set in sets {
        xml.push_str(&format!(
            "        <EntitySet Name=\"{}\" EntityType=\"{NAMESPACE}.{}\">\n          <Annotation Term=\"Org.OData.Core.V1.Description\" String=\"{}\"/>\n        </EntitySet>\n",
            set.name,
            set.type_name,
            xml_escape(set.title)
        ));
    }
    xml.push_str("      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n");
    xml
}
