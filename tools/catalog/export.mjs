// Writes the Matter catalog (clusters, datatypes, device types) of @matter/model's standard model as JSON.
//
// Run by scripts/build_catalog.py, which installs the pinned package (tools/catalog/package.json) into a temporary
// directory next to a copy of this file, runs `node export.mjs > raw.json` there, then sorts and compacts the result.
//
// Integers beyond JavaScript's safe range are written as {"$bigint": "<decimal>"} so that no precision is lost;
// the Python side turns them back into ints.

import { FieldValue, Matter, Specification } from "@matter/model";
import "@matter/model/resources";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = packageJson("@matter/model");

// Types the catalog reports as `base`: the wire-level primitives of the Matter data model.
const PRIMITIVES = new Set([
    "bool", "int8", "int16", "int24", "int32", "int40", "int48", "int56", "int64",
    "uint8", "uint16", "uint24", "uint32", "uint40", "uint48", "uint56", "uint64",
    "single", "double", "enum8", "enum16", "map8", "map16", "map32", "map64",
    "octstr", "string", "list", "struct", "any", "duration",
]);

/** The package.json of an installed package (its "exports" hide it from require). */
function packageJson(name) {
    let directory = dirname(fileURLToPath(import.meta.resolve(name)));
    while (!existsSync(join(directory, "package.json")) || readJson(join(directory, "package.json")).name !== name) {
        const parent = dirname(directory);
        if (parent === directory) throw new Error(`package.json of ${name} not found`);
        directory = parent;
    }
    return readJson(join(directory, "package.json"));
}

function readJson(path) {
    return JSON.parse(readFileSync(path, "utf8"));
}

/** Name of the type as the spec spells it; follows overrides of global attributes to their declared type. */
function typeName(model) {
    let current = model;
    while (current.base && current.base.tag !== "datatype") {
        current = current.base;
    }
    const name = current.type ?? model.effectiveType;
    if (name === "list") {
        const entry = model.listEntry;
        const entryType = entry ? typeName(entry) : undefined;
        return entryType ? `list[${entryType}]` : "list";
    }
    return name ?? "";
}

/** The primitive a (possibly derived) type resolves to, e.g. temperature -> int16, LockStateEnum -> enum8. */
function baseName(model) {
    const seen = new Set();
    for (let current = model; current && !seen.has(current); current = current.base) {
        seen.add(current);
        if (current.tag === "datatype" && PRIMITIVES.has(current.name)) {
            return current.name;
        }
    }
    if (fieldsOf(model).length && model.effectiveMetatype === "object") {
        return "struct";
    }
    return "";
}

/** Names along the type chain, most specific first; used to interpret °C and % literals. */
function typeChain(model) {
    const names = [];
    for (let current = model; current; current = current.base) {
        if (current.type) names.push(current.type);
        if (current.tag === "datatype") names.push(current.name);
    }
    return names;
}

function numericLiteral(value, chain) {
    for (const name of chain) {
        const number = FieldValue.numericValue(value, name);
        if (number !== undefined) return number;
    }
    return FieldValue.numericValue(value, undefined);
}

/**
 * A constraint bound as data: a number, {"ref": Name, "offset": n} for "Name" / "Name + n" / "Name - n", or null
 * when the expression is something else (struct member paths, products of references, ...).
 */
function bound(expression, context) {
    if (expression === undefined || expression === null) return null;
    if (typeof expression === "number" || typeof expression === "bigint") return expression;
    if (typeof expression !== "object") return null;
    switch (expression.type) {
        case "reference": {
            const name = context.resolve(expression.name);
            return name === undefined ? null : { ref: name };
        }
        case "celsius":
        case "percent": {
            const number = numericLiteral(expression, context.chain);
            return number === undefined ? null : number;
        }
        case "+":
        case "-": {
            const sign = expression.type === "+" ? 1 : -1;
            const lhs = bound(expression.lhs, context);
            const rhs = bound(expression.rhs, context);
            if (isNumber(lhs) && isNumber(rhs)) return arithmetic(lhs, rhs, sign);
            if (lhs?.ref !== undefined && typeof rhs === "number") {
                return { ref: lhs.ref, offset: (lhs.offset ?? 0) + sign * rhs };
            }
            return null;
        }
        case "^": {
            const lhs = bound(expression.lhs, context);
            const rhs = bound(expression.rhs, context);
            if (!isNumber(lhs) || !isNumber(rhs)) return null;
            // The spec's "-2^62" means -(2^62); matter.js parses the sign into the base.
            const magnitude = BigInt(lhs < 0 ? -lhs : lhs) ** BigInt(rhs);
            return narrow(lhs < 0 ? -magnitude : magnitude);
        }
        case "*":
        case "/": {
            const lhs = bound(expression.lhs, context);
            const rhs = bound(expression.rhs, context);
            if (typeof lhs !== "number" || typeof rhs !== "number") return null;
            return expression.type === "*" ? lhs * rhs : lhs / rhs;
        }
        case "minOf":
        case "maxOf": {
            const args = expression.args.map(arg => bound(arg, context));
            if (!args.every(arg => typeof arg === "number")) return null;
            return expression.type === "minOf" ? Math.min(...args) : Math.max(...args);
        }
        default:
            return null;
    }
}

function isNumber(value) {
    return typeof value === "number" || typeof value === "bigint";
}

function arithmetic(lhs, rhs, sign) {
    if (typeof lhs === "bigint" || typeof rhs === "bigint") {
        return narrow(BigInt(lhs) + BigInt(sign) * BigInt(rhs));
    }
    return lhs + sign * rhs;
}

function narrow(big) {
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Parsed [min, max] of a constraint; a constant or a list of numeric parts gives both ends. */
function bounds(constraint, context) {
    if (constraint.isEmpty || constraint.desc || constraint.in !== undefined) return [null, null];
    if (constraint.parts) {
        // "0, minMeasuredValue to maxMeasuredValue": a side is known when every part's end on that side is a number
        const parts = constraint.parts.map(part => bounds(part, context));
        const lows = parts.map(([low]) => low);
        const highs = parts.map(([, high]) => high);
        const numeric = values => values.every(value => typeof value === "number");
        return [numeric(lows) ? Math.min(...lows) : null, numeric(highs) ? Math.max(...highs) : null];
    }
    if (constraint.value !== undefined) {
        const value = bound(constraint.value, context);
        return [value, value];
    }
    return [bound(constraint.min, context), bound(constraint.max, context)];
}

function text(aspect) {
    return aspect.isEmpty ? "" : aspect.toString();
}

/**
 * Resolves a camelCase reference ("minLevel") to the name of a sibling field or cluster attribute; undefined for
 * anything else (enum member names in "heat, cool", the keyword "any", elements of other clusters).
 */
function resolver(siblings, cluster) {
    const lookup = new Map();
    for (const model of [...(cluster ? cluster.attributes : []), ...siblings]) {
        lookup.set(model.name.toLowerCase(), model.name);
    }
    return name => lookup.get(name.toLowerCase());
}

function defaultValue(value, chain, resolve) {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(item => defaultValue(item, chain, resolve));
    switch (value.type) {
        case "celsius":
        case "percent":
            return numericLiteral(value, chain) ?? FieldValue.serialize(value);
        case "reference": {
            const name = resolve(value.name);
            return name === undefined ? FieldValue.serialize(value) : { ref: name };
        }
        case "bytes":
            return { bytes: value.value };
        case "none":
            return undefined;
        case "properties":
            return Object.fromEntries(
                Object.entries(value.properties).map(([key, item]) => [key, defaultValue(item, [], resolve)]),
            );
        default:
            return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, defaultValue(item, [], resolve)]));
    }
}

function valueFields(model, resolve) {
    const constraint = model.effectiveConstraint;
    const context = { chain: typeChain(model), resolve };
    const [min, max] = bounds(constraint, context);
    return {
        type: typeName(model),
        base: baseName(model),
        nullable: model.nullable,
        constraint: text(constraint),
        min,
        max,
        conformance: text(model.effectiveConformance),
        default: defaultValue(model.default, context.chain, resolve),
    };
}

function field(model, siblings, cluster) {
    return { id: model.id ?? null, name: model.name, ...valueFields(model, resolver(siblings, cluster)) };
}

/** Fields of a value model including those it inherits (MoveToLevelWithOnOff derives from MoveToLevel). */
function fieldsOf(model) {
    return [...model.members].filter(member => member.tag === "field");
}

function fields(model, cluster) {
    const children = fieldsOf(model);
    return children.map(child => field(child, children, cluster));
}

function attribute(model, cluster) {
    return {
        id: model.id,
        name: model.name,
        ...valueFields(model, resolver([], cluster)),
        access: text(model.effectiveAccess),
        quality: text(model.effectiveQuality),
        writable: model.writable,
    };
}

function joined(...parts) {
    return parts.filter(part => part).join(" ");
}

function command(model, cluster) {
    const access = model.effectiveAccess;
    return {
        id: model.id,
        name: model.name,
        direction: model.effectiveDirection ?? "request",
        response: model.isRequest ? (model.effectiveResponse ?? "status") : null,
        conformance: text(model.effectiveConformance),
        access: joined(access.fabric, access.writePriv ?? "O", access.timed ? "T" : ""),
        fields: fields(model, cluster),
    };
}

function event(model, cluster) {
    const access = model.effectiveAccess;
    return {
        id: model.id,
        name: model.name,
        priority: model.priority ?? "",
        conformance: text(model.effectiveConformance),
        access: joined(access.fabric, access.readPriv ?? "V"),
        fields: fields(model, cluster),
    };
}

/** Enum members by value, bitmap members by mask; a member spanning bits "a to b" gets the contiguous mask. */
function datatypes(models, cluster) {
    const enums = {};
    const bitmaps = {};
    const structs = {};
    for (const model of models) {
        const members = fieldsOf(model);
        switch (model.effectiveMetatype) {
            case "enum":
                enums[model.name] = Object.fromEntries(members.map(member => [member.name, member.id]));
                break;
            case "bitmap":
                bitmaps[model.name] = Object.fromEntries(members.map(member => [member.name, mask(member)]));
                break;
            case "object":
                structs[model.name] = members.map(member => field(member, members, cluster));
                break;
        }
    }
    return { enums, bitmaps, structs };
}

function mask(member) {
    const constraint = member.constraint;
    if (constraint.value !== undefined) return 2 ** constraint.value;
    let result = 0;
    for (let bit = constraint.min; bit <= constraint.max; bit++) result += 2 ** bit;
    return result;
}

/** Enums and bitmaps declared inline on an element (no datatype of their own), registered under its name. */
function inlineTypes(elements) {
    const inline = [];
    for (const element of elements) {
        const candidates = element.tag === "attribute" ? [element] : fieldsOf(element);
        for (const model of candidates) {
            const metatype = model.effectiveMetatype;
            // own members only: an element typed with a named enum inherits that enum's members
            const own = model.children.filter(child => child.tag === "field");
            if (own.length && (metatype === "enum" || metatype === "bitmap") && model.name !== "FeatureMap") {
                inline.push(model);
            }
        }
    }
    return inline;
}

function cluster(model) {
    const attributes = [...model.attributes];
    const commands = [...model.commands];
    const events = [...model.events];
    const declared = [...model.datatypes];
    const names = new Set(declared.map(datatype => datatype.name));
    const inline = inlineTypes([...attributes, ...commands, ...events]).filter(type => !names.has(type.name));
    return {
        id: model.id,
        name: model.name,
        revision: model.revision,
        classification: model.classification ?? "",
        derived_from: model.type ?? null,
        xref: model.xref ? `${model.xref.document}§${model.xref.section}` : "",
        features: model.features.map(feature => ({
            bit: feature.constraint.value,
            code: feature.name,
            name: feature.title ?? feature.name,
            conformance: text(feature.conformance),
        })),
        attributes: attributes.map(item => attribute(item, model)),
        commands: commands.map(item => command(item, model)),
        events: events.map(item => event(item, model)),
        datatypes: datatypes([...declared, ...inline], model),
    };
}

function requirement(model) {
    return {
        element: model.element,
        id: model.id ?? null,
        name: model.name,
        conformance: text(model.conformance),
        constraint: text(model.constraint),
        quality: text(model.quality),
        requirements: model.requirements.map(requirement),
    };
}

function deviceType(model) {
    return {
        id: model.id ?? null,
        name: model.name,
        revision: model.revision,
        category: model.classification ?? "",
        derived_from: model.type ?? null,
        xref: model.xref ? `${model.xref.document}§${model.xref.section}` : "",
        requirements: model.requirements.map(requirement),
        conditions: model.children.filter(child => child.tag === "condition").map(child => child.name),
    };
}

const catalog = {
    source: {
        package: PACKAGE.name,
        version: PACKAGE.version,
        license: PACKAGE.license,
        spec: Specification.REVISION,
    },
    globals: {
        attributes: [...Matter.attributes].map(item => attribute(item, undefined)),
        datatypes: datatypes([...Matter.datatypes], undefined),
    },
    clusters: [...Matter.clusters].filter(model => model.id !== undefined).map(cluster),
    base_clusters: [...Matter.clusters].filter(model => model.id === undefined).map(model => model.name),
    device_types: [...Matter.deviceTypes].map(deviceType),
};

process.stdout.write(
    JSON.stringify(catalog, (_key, value) => (typeof value === "bigint" ? { $bigint: value.toString() } : value)),
);
