// The fields of a simple JSON Schema form (the platform's form engine, `jianlian.forms`) as Ant
// Design form items, phone first: a choice as radios, several choices as checkboxes, numbers,
// texts. For polls and short questionnaires; the approvals' full renderer is ApprovalForm.
// Items are named [prefix, key], so the server's errors (`data.choice`) land under their field
// through applyFieldErrors.
import { Checkbox, Form, Input, InputNumber, Radio } from 'antd';

export type SchemaProp = { title?: string; type?: string; enum?: string[]; items?: { enum?: string[] }; maxLength?: number };
export type SimpleSchema = { properties?: Record<string, SchemaProp>; required?: string[] };

/** The options of a choice field (one or several), or null for other fields. */
export function choices(prop: SchemaProp): string[] | null {
  return prop.enum ?? prop.items?.enum ?? null;
}

// Form.Item hands `value` and `onChange` to its child; pass them on to the real input.
export function SchemaField({ prop, ...control }: { prop: SchemaProp; value?: unknown; onChange?: (v: unknown) => void }) {
  const props = control as Record<string, never>;
  const vertical = { display: 'flex', flexDirection: 'column', gap: 8 } as const;
  if (prop.enum) return <Radio.Group {...props} style={vertical} options={prop.enum.map((v) => ({ label: v, value: v }))} />;
  if (prop.items?.enum) return <Checkbox.Group {...props} style={vertical} options={prop.items.enum.map((v) => ({ label: v, value: v }))} />;
  if (prop.type === 'number' || prop.type === 'integer') return <InputNumber {...props} style={{ width: '100%' }} />;
  return <Input.TextArea {...props} autoSize maxLength={prop.maxLength} />;
}

export function SchemaFields({ schema, prefix, requiredMessage }: { schema: SimpleSchema; prefix: string; requiredMessage: string }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <Form.Item key={key} name={[prefix, key]} label={prop.title ?? key}
          rules={schema.required?.includes(key) ? [{ required: true, message: requiredMessage }] : []}>
          <SchemaField prop={prop} />
        </Form.Item>
      ))}
    </>
  );
}
