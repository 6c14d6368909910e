DROP TABLE changes;
DROP TABLE role_assignments;
DROP TABLE role_types;
DROP TABLE systems;
DROP TABLE objects;
DROP TABLE people;
DROP TABLE org_closure;
DROP TABLE organisations;
