//! `/people`: people who hold roles. Reads for every role; writes for admins.

use crate::auth::Role;
use crate::domain::people::{Person, PersonFilter, PersonNew, PersonPatch};

crate::crud_routes! {
    domain: crate::domain::people,
    model: Person, new: PersonNew, patch: PersonPatch, filter: PersonFilter,
    tag: "people", write_role: Role::Admin, default_sort: "name",
    collection: "/people", item: "/people/{id}", location: "/api/v1/people/{}",
    list: (list_people, "List people in the caller's scope. Sort by name (Swedish order), created_at or modified_at; `q` searches names."),
    get: (get_person, "Read one person."),
    create: (create_person, "Register a person (admin)."),
    update: (update_person, "Update a person (admin)."),
    delete: (delete_person, "Erase a person (admin). A person who holds roles or owns risks needs `?force=true`: the assignments end today and become vacant history, the risks lose their owner, and the person's earlier change records are scrubbed of personal data (GDPR erasure).", force),
}
