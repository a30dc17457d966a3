"""Validates every *.chronicle.yaml in the repository against Schemas/chronicle.schema.json,
except the generator corpus's deliberately broken ones (first line `# expect: error …`).

Editors validate with yaml-language-server, which reads YAML 1.2: `on`, `yes` and `no` are text
there, not booleans as in PyYAML's YAML 1.1, so the loader below reads them the same way."""
import glob
import json
import os
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    pass


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema = json.load(open(os.path.join(root, "Schemas", "chronicle.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
files = sorted(glob.glob(os.path.join(root, "**", "*.chronicle.yaml"), recursive=True))
# The generator's corpus keeps deliberately broken schemas, marked on their first line.
files = [path for path in files if not open(path, encoding="utf-8", errors="replace").readline().startswith("# expect: error")]
failed = 0
for path in files:
    with open(path) as handle:
        document = yaml.load(handle, Loader=Yaml12Loader)
    errors = list(validator.iter_errors(document))
    for error in errors:
        print(f"{os.path.relpath(path, root)}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    failed += bool(errors)
print(f"schema validation: {len(files) - failed} passed, {failed} failed")
sys.exit(1 if failed or not files else 0)
