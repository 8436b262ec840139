// The designer's model: a flat list of fields and a chain of approver nodes with at most one
// condition branch, turned into the JSON Schema, UI schema and flow tree the server stores.
export type FieldKind = 'text' | 'textarea' | 'number' | 'money' | 'date' | 'dateRange' | 'choice' | 'choices' | 'person' | 'file';
export const FIELD_KINDS: FieldKind[] = ['text', 'textarea', 'number', 'money', 'date', 'dateRange', 'choice', 'choices', 'person', 'file'];

export interface DesignField {
  key: string;
  title: string;
  kind: FieldKind;
  required: boolean;
  options: string[];
}

export type AssigneeKind = 'department_head' | 'role' | 'users' | 'chosen' | 'submitter';
export interface DesignNode {
  id: string;
  name: string;
  mode: 'seq' | 'all' | 'any';
  kind: AssigneeKind;
  /** level for department_head, role code for role, account numbers for users. */
  level: number;
  role: string;
  userIds: number[];
}

export interface DesignBranch {
  field: string;
  op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'ne';
  value: string;
  name: string;
  node: DesignNode;
}

type Json = Record<string, unknown>;

function fieldSchema(f: DesignField): Json {
  const title = f.title;
  switch (f.kind) {
    case 'text':
      return { type: 'string', title, maxLength: 200 };
    case 'textarea':
      return { type: 'string', title, maxLength: 2000 };
    case 'number':
      return { type: 'number', title };
    case 'money':
      return { type: 'number', title, minimum: 0, multipleOf: 0.01 };
    case 'date':
      return { type: 'string', title, format: 'date' };
    case 'dateRange':
      return {
        type: 'object',
        title,
        'x-kind': 'dateRange',
        required: ['start', 'end'],
        properties: {
          start: { type: 'string', title: '开始日期', format: 'date' },
          end: { type: 'string', title: '结束日期', format: 'date' },
          startHalf: { type: 'string', title: '开始时段', enum: ['am', 'pm'] },
          endHalf: { type: 'string', title: '结束时段', enum: ['am', 'pm'] },
          days: { type: 'number', title: '天数' },
        },
      };
    case 'choice':
      return { type: 'string', title, enum: f.options.length ? f.options : ['—'] };
    case 'choices':
      return { type: 'array', title, items: { type: 'string', enum: f.options.length ? f.options : ['—'] }, uniqueItems: true };
    case 'person':
      return { type: 'array', title, 'x-kind': 'person', items: { type: 'integer' }, maxItems: 20 };
    case 'file':
      return {
        type: 'array',
        title,
        'x-kind': 'file',
        maxItems: 9,
        items: { type: 'object', required: ['name', 'url'], properties: { name: { type: 'string' }, url: { type: 'string' }, size: { type: 'integer' } } },
      };
  }
}

function kindOf(p: Json, ui: Json | undefined): FieldKind {
  const x = p['x-kind'];
  if (x === 'dateRange' || x === 'person' || x === 'file') return x;
  if (p.type === 'array') return 'choices';
  if (Array.isArray(p.enum)) return 'choice';
  if (p.type === 'number' || p.type === 'integer') return p.multipleOf === 0.01 || ui?.['ui:widget'] === 'money' ? 'money' : 'number';
  if (p.format === 'date') return 'date';
  return ui?.['ui:widget'] === 'textarea' || Number(p.maxLength) > 200 ? 'textarea' : 'text';
}

export function toSchemas(fields: DesignField[]): { schema: Json; ui: Json } {
  const properties: Json = {};
  const ui: Json = { 'ui:order': fields.map((f) => f.key) };
  for (const f of fields) {
    properties[f.key] = fieldSchema(f);
    if (f.kind === 'textarea') ui[f.key] = { 'ui:widget': 'textarea' };
    if (f.kind === 'money') ui[f.key] = { 'ui:widget': 'money' };
  }
  return { schema: { type: 'object', required: fields.filter((f) => f.required).map((f) => f.key), properties }, ui };
}

export function fromSchemas(schema: Json, ui: Json): DesignField[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const order = ((ui['ui:order'] as string[] | undefined) ?? []).filter((k) => k in props);
  const keys = [...order, ...Object.keys(props).filter((k) => !order.includes(k))];
  return keys.map((key) => {
    const p = props[key];
    const items = p.items as Json | undefined;
    const options = (p.enum ?? items?.enum ?? []) as unknown[];
    return { key, title: String(p.title ?? key), kind: kindOf(p, ui[key] as Json | undefined), required: required.has(key), options: options.map(String) };
  });
}

function assignee(n: DesignNode): Json {
  switch (n.kind) {
    case 'department_head':
      return { kind: 'department_head', level: n.level || 1 };
    case 'role':
      return { kind: 'role', role: n.role };
    case 'users':
      return { kind: 'users', userIds: n.userIds };
    default:
      return { kind: n.kind };
  }
}

function approverNode(n: DesignNode, child: Json | null): Json {
  return { id: n.id, type: 'approver', name: n.name, mode: n.mode, assignee: assignee(n), child };
}

export function toFlow(nodes: DesignNode[], branch: DesignBranch | null): Json {
  const value = branch && branch.value.trim() !== '' && !Number.isNaN(Number(branch.value)) ? Number(branch.value) : branch?.value;
  let tail: Json | null = branch
    ? {
        id: 'cond',
        type: 'condition',
        branches: [
          { id: 'cond-yes', name: branch.name, when: { all: [{ field: branch.field, op: branch.op, value }] }, child: approverNode(branch.node, null) },
          { id: 'cond-else', name: '其他情况', default: true, child: null },
        ],
        child: null,
      }
    : null;
  for (const n of [...nodes].reverse()) tail = approverNode(n, tail);
  return { id: 'start', type: 'start', name: '发起人', child: tail };
}

function fromNode(n: Json): DesignNode {
  const a = (n.assignee ?? {}) as Json;
  const kind = (['department_head', 'role', 'users', 'chosen', 'submitter'].includes(String(a.kind)) ? a.kind : 'submitter') as AssigneeKind;
  return {
    id: String(n.id),
    name: String(n.name ?? n.id),
    mode: (n.mode ?? 'seq') as DesignNode['mode'],
    kind,
    level: Number(a.level ?? 1),
    role: String(a.role ?? ''),
    userIds: (a.userIds as number[] | undefined) ?? [],
  };
}

/** The chain and branch the designer can show; `lossy` when the flow has more (cc, parallel …). */
export function fromFlow(flow: Json): { nodes: DesignNode[]; branch: DesignBranch | null; lossy: boolean } {
  const nodes: DesignNode[] = [];
  let branch: DesignBranch | null = null;
  let lossy = false;
  let n = flow.child as Json | null | undefined;
  while (n) {
    if (n.type === 'approver') nodes.push(fromNode(n));
    else if (n.type === 'condition' && !branch) {
      const bs = (n.branches ?? []) as Json[];
      const yes = bs.find((b) => !b.default);
      const rule = ((yes?.when as Json | undefined)?.all as Json[] | undefined)?.[0];
      const child = yes?.child as Json | null | undefined;
      if (yes && rule && child?.type === 'approver' && !child.child && bs.length === 2 && !bs.find((b) => b.default)?.child) {
        branch = { field: String(rule.field), op: rule.op as DesignBranch['op'], value: String(rule.value), name: String(yes.name ?? ''), node: fromNode(child) };
      } else lossy = true;
    } else lossy = true;
    n = n.child as Json | null | undefined;
  }
  return { nodes, branch, lossy };
}

let counter = 0;
export function newNode(name: string): DesignNode {
  counter += 1;
  return { id: `n${Date.now().toString(36)}${counter}`, name, mode: 'seq', kind: 'department_head', level: 1, role: '', userIds: [] };
}
