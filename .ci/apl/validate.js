// Validate APL documents offline with the reference validator (apl-suggester, pinned in
// package.json), plus the checks it leaves out: every component and command type must
// be one APL defines (or the document's own layout or command), every AVG item one AVG
// defines. Usage: node validate.js FILE... ; prints {"version", "results": {file: [..]}}
// as JSON and exits 1 when any file has a finding (a warning counts: nothing is waived).
'use strict';

const fs = require('fs');
const path = require('path');
const suggester = require('apl-suggester');
const {PrimitiveComponentJsonSchemaUtil} = require(
  'apl-suggester/dist/src/util/PrimitiveComponentJsonSchemaUtil');
const {CommandSchemaValidator} = require('apl-suggester/dist/src/CommandSchemaValidator');

const VERSION = require('apl-suggester/package.json').version;
// Properties that hold commands, and properties that hold components.
const COMMAND_KEYS = new Set([
  'onMount', 'onPress', 'onDown', 'onUp', 'onMove', 'onCancel', 'onFocus', 'onBlur',
  'onScroll', 'onPageChanged', 'onChildrenChanged', 'onLayout', 'onSpeechMark',
  'handleKeyDown', 'handleKeyUp', 'commands', 'catch', 'finally', 'otherwise',
  'onConfigChange', 'onDisplayStateChange',
]);
const COMPONENT_KEYS = new Set(['items', 'item', 'firstItem', 'lastItem']);
const AVG_TYPES = new Set(['group', 'path', 'text']);

function asList(value) {
  return Array.isArray(value) ? value : (value && typeof value === 'object' ? [value] : []);
}

function typeChecks(doc) {
  const problems = [];
  const components = new Set([
    ...PrimitiveComponentJsonSchemaUtil.getPrimitiveComponentTypes(doc.version),
    ...Object.keys(doc.layouts || {}),
  ]);
  const commands = new Set([
    ...CommandSchemaValidator.COMMAND_TYPE_TO_JSON_SCHEMA.keys(),
    ...Object.keys(doc.commands || {}),
  ]);
  const report = (where, message) => problems.push({path: where, errorMessage: message, level: 'ERROR'});

  function command(node, where) {
    asList(node).forEach((c, i) => {
      const at = `${where}/${i}`;
      if (typeof c.type !== 'string' || !commands.has(c.type)) report(at, `unknown command type ${c.type}`);
      walk(c, at);
    });
  }
  function component(node, where) {
    asList(node).forEach((c, i) => {
      const at = Array.isArray(node) ? `${where}/${i}` : where;
      if (typeof c.type !== 'string' || !components.has(c.type)) report(at, `unknown component type ${c.type}`);
      walk(c, at);
    });
  }
  function walk(node, where) {
    for (const [key, value] of Object.entries(node || {})) {
      if (COMMAND_KEYS.has(key)) command(value, `${where}/${key}`);
      else if (COMPONENT_KEYS.has(key)) component(value, `${where}/${key}`);
    }
  }
  function graphicItems(node, where) {
    asList(node).forEach((g, i) => {
      const at = `${where}/${i}`;
      if (!AVG_TYPES.has(g.type)) report(at, `unknown AVG item type ${g.type}`);
      if (g.items) graphicItems(g.items, `${at}/items`);
    });
  }

  if (doc.type !== 'APL') report('/type', 'not an APL document');
  if (!doc.mainTemplate) report('/mainTemplate', 'no mainTemplate');
  walk(doc, '');
  if (doc.mainTemplate) walk(doc.mainTemplate, '/mainTemplate');
  for (const [name, layout] of Object.entries(doc.layouts || {})) walk(layout, `/layouts/${name}`);
  for (const [name, c] of Object.entries(doc.commands || {})) command(c.commands, `/commands/${name}/commands`);
  for (const [name, graphic] of Object.entries(doc.graphics || {})) {
    if (graphic.type !== 'AVG') report(`/graphics/${name}`, 'not an AVG graphic');
    graphicItems(graphic.items, `/graphics/${name}/items`);
  }
  return problems;
}

async function main(files) {
  const validator = new suggester.StaticAplTemplateValidator();
  const results = {};
  for (const file of files) {
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      results[file] = [{path: '', errorMessage: `unreadable: ${error.message}`, level: 'ERROR'}];
      continue;
    }
    const found = await validator.validate(doc);
    results[file] = [...found, ...typeChecks(doc)];
  }
  const failed = Object.values(results).some((found) => found.length > 0);
  return {failed, out: {version: VERSION, results}};
}

// The suggester prints notes of its own on stdout: keep stdout for the JSON answer.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);
main(process.argv.slice(2).map((f) => path.resolve(f))).then(({failed, out}) => {
  write(JSON.stringify(out) + '\n');
  process.exitCode = failed ? 1 : 0;
}, (error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
});
