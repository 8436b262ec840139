// The poll of the publishing form: a question, two or more options, one or several choices, an
// optional deadline. It becomes the post's form (a JSON Schema with one choice field, `choice`)
// through setAnnouncementForm before the post is published. A form attached otherwise (through
// the API) is kept as it is and only named here.
import { Button, DatePicker, Flex, Form, Input, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { choices, type SchemaProp, type SimpleSchema } from '@workbench/components/SchemaFields';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';

export interface PollValues {
  poll?: boolean;
  pollQuestion?: string;
  pollOptions?: string[];
  pollMultiple?: boolean;
  closesAt?: Dayjs | null;
}

/** The poll of a stored post for the form; `custom` when its form is not a one-question poll. */
export function pollInitial(post: AnnouncementFieldsFragment | null): PollValues & { custom: boolean } {
  const empty = { poll: false, pollOptions: ['', ''], pollMultiple: false, custom: false };
  if (!post?.formSchema) return empty;
  const schema = JSON.parse(post.formSchema) as SimpleSchema;
  const keys = Object.keys(schema.properties ?? {});
  const prop: SchemaProp | undefined = schema.properties?.choice;
  const options = prop ? choices(prop) : null;
  if (keys.length !== 1 || !prop || !options) return { ...empty, custom: true };
  return {
    poll: true, pollQuestion: prop.title ?? '', pollOptions: options, pollMultiple: !!prop.items, custom: false,
    closesAt: post.formClosesAt ? dayjs(post.formClosesAt) : null,
  };
}

/** The JSON Schema of the poll, or null for none. */
export function pollSchema(v: PollValues): object | null {
  if (!v.poll) return null;
  const options = (v.pollOptions ?? []).map((o) => o.trim()).filter(Boolean);
  const title = (v.pollQuestion ?? '').trim();
  const choice = v.pollMultiple
    ? { title, type: 'array', uniqueItems: true, minItems: 1, items: { enum: options } }
    : { title, type: 'string', enum: options };
  return { type: 'object', required: ['choice'], properties: { choice } };
}

export function PollFields({ custom }: { custom: boolean }) {
  const { t } = useTranslation();
  const on = Form.useWatch('poll');
  if (custom) return <Typography.Paragraph type="secondary">{t('announcements.poll.customForm')}</Typography.Paragraph>;
  const distinct = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator(_r: unknown, value: string) {
      const all = ((getFieldValue('pollOptions') as string[] | undefined) ?? []).map((o) => (o ?? '').trim());
      return all.filter((o) => o && o === (value ?? '').trim()).length > 1 ? Promise.reject(new Error(t('announcements.poll.duplicate'))) : Promise.resolve();
    },
  });
  return (
    <>
      <Form.Item name="poll" label={t('announcements.poll.attach')} valuePropName="checked">
        <Switch data-testid="editor-poll" />
      </Form.Item>
      {on && (
        <div style={{ borderLeft: '3px solid #e6e6e6', paddingLeft: 12, marginBottom: 16 }} data-testid="editor-poll-section">
          <Form.Item name="pollQuestion" label={t('announcements.poll.question')} rules={[{ required: true, whitespace: true, message: t('announcements.poll.needQuestion') }, { max: 100 }]}>
            <Input data-testid="editor-poll-question" />
          </Form.Item>
          <Form.List name="pollOptions" rules={[{
            validator: async (_r, opts: string[] | undefined) => {
              if ((opts ?? []).filter((o) => o && o.trim()).length < 2) throw new Error(t('announcements.poll.needOptions'));
            },
          }]}>
            {(fields, { add, remove }, { errors }) => (
              <Form.Item label={t('announcements.poll.options')}>
                {fields.map((field, i) => (
                  <Flex key={field.key} gap={8} style={{ marginBottom: 8 }}>
                    <Form.Item {...field} noStyle rules={[{ max: 60 }, distinct]}>
                      <Input placeholder={t('announcements.poll.option', { n: i + 1 })} data-testid={`editor-poll-option-${i}`} />
                    </Form.Item>
                    {fields.length > 2 && <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('announcements.poll.remove')} />}
                  </Flex>
                ))}
                {fields.length < 20 && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} data-testid="editor-poll-add">{t('announcements.poll.addOption')}</Button>
                )}
                <Form.ErrorList errors={errors} />
              </Form.Item>
            )}
          </Form.List>
          <Flex gap={24} wrap>
            <Form.Item name="pollMultiple" label={t('announcements.poll.multiple')} valuePropName="checked">
              <Switch data-testid="editor-poll-multiple" />
            </Form.Item>
            <Form.Item name="closesAt" label={t('announcements.poll.deadline')} extra={t('announcements.poll.deadlineHelp')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="editor-poll-closes" />
            </Form.Item>
          </Flex>
        </div>
      )}
    </>
  );
}
