import yaml, json, sys
spec = yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)
schemas = spec['components']['schemas']
PREFIX = '#/components/schemas/'

def refs(node, out):
    if isinstance(node, dict):
        r = node.get('$ref')
        if r and r.startswith(PREFIX) and r[len(PREFIX):] not in out:
            name = r[len(PREFIX):]
            out.add(name)
            refs(schemas[name], out)
        for v in node.values(): refs(v, out)
    elif isinstance(node, list):
        for v in node: refs(v, out)

def rewrite(node):
    if isinstance(node, dict):
        return {k: ('#/$defs/' + v[len(PREFIX):] if k == '$ref' else rewrite(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node

for root in sys.argv[3:]:
    closure = set(); refs(schemas[root], closure); closure.discard(root)
    doc = {'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'urn:atlas-spec:' + root}
    doc.update(rewrite(schemas[root]))
    if closure:
        doc['$defs'] = {n: rewrite(schemas[n]) for n in sorted(closure)}
    with open(f'{sys.argv[2]}/{root}.json', 'w') as f:
        json.dump(doc, f, indent=2, sort_keys=False); f.write('\n')
    print(root, sorted(closure))
