// libyaml's event API, read by the schema reader (ChronicleCodegen/Parsing/YAMLReader.swift).
#include <yaml.h>
