"""Every type, field, argument and enum value of the GraphQL schema says what it is (issue 19): GraphiQL, codegen'd
client types and docs/api.md all show these descriptions, and a new field without one fails here."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
)

from service.schema import schema

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(graphql_schema: GraphQLSchema) -> list[str]:
    missing = []
    for name, t in graphql_schema.type_map.items():
        if name.startswith("__") or (isinstance(t, GraphQLScalarType) and name in BUILT_IN):
            continue
        if not (t.description or "").strip():
            missing.append(name)
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in t.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(t, GraphQLEnumType):
            for value_name, value in t.values.items():
                if not (value.description or "").strip():
                    missing.append(f"{name}.{value_name}")
    return missing


def test_every_type_field_argument_and_enum_value_has_a_description():
    missing = undescribed(schema.graphql_schema)
    assert not missing, f"add a description to: {', '.join(missing)}"


def test_the_check_finds_what_lacks_a_description():
    sdl = '"""A type."""\ntype Query { "Described." a(x: Int): E b: Int }\n"""An enum."""\nenum E { "One." ONE TWO }'
    assert undescribed(build_schema(sdl)) == ["Query.a(x)", "Query.b", "E.TWO"]


def test_every_deprecation_gives_a_reason_and_the_field_that_replaces_it():
    types = schema.graphql_schema.type_map
    for name, t in types.items():
        if name.startswith("__") or not isinstance(t, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        for field_name, field in t.fields.items():
            reason = field.deprecation_reason
            if reason is None:
                continue
            assert "`" in reason, f"{name}.{field_name}: say which field to use instead"
            replacement = reason.split("`")[1].split(" ")[0].split(".")[0].split("{")[0]
            assert replacement in t.fields or replacement in types["Query"].fields, (name, field_name, reason)
