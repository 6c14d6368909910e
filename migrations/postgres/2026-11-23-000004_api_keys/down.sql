DROP TABLE api_key_organisations;
DROP TABLE api_keys;
