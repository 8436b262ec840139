// The publishing form for column administrators: column, title, body, audience (whole tenant,
// departments, people), 必读 with a deadline, pinning, expiry, scheduled publishing, video links,
// attachments and a poll (PollEditor.tsx). Saving keeps a draft; 发布 saves and publishes (or schedules). The server
// sanitises the body and applies the sender whitelist; its messages show on the fields.
import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, Select, Switch, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors, QueryState } from '@workbench/components/QueryState';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';
import { bodyToHtml, htmlToBody, readBase64, relayIds } from './editing';
import {
  AddAnnouncementAttachmentMutation, AnnouncementColumnsQuery, AnnouncementQuery, PublishAnnouncementMutation, SaveAnnouncementMutation,
  SetAnnouncementFormMutation,
} from './operations';
import { PollFields, pollInitial, pollSchema, type PollValues } from './PollEditor';

interface Values extends PollValues {
  column: string;
  title: string;
  body?: string;
  wholeTenant?: boolean;
  departments?: string[];
  users?: string[];
  required?: boolean;
  readDeadline?: Dayjs | null;
  pinned?: boolean;
  expiresAt?: Dayjs | null;
  publishAt?: Dayjs | null;
  videoLinks?: string[];
}

export default function EditorPage() {
  const { id } = useParams();
  const [existing] = useQuery({ query: AnnouncementQuery, variables: { id: id ?? '' }, pause: !id });
  const [columns] = useQuery({ query: AnnouncementColumnsQuery });
  const ready = !!columns.data && (!id || !!existing.data);
  return (
    <QueryState fetching={columns.fetching || existing.fetching} error={columns.error ?? existing.error} hasData={ready}>
      {ready && <Editor post={existing.data?.announcement ?? null} columns={(columns.data?.announcementColumns ?? []).filter((c) => c.canPublish)} />}
    </QueryState>
  );
}

function initial(post: AnnouncementFieldsFragment | null, firstColumn: string | undefined, poll: PollValues): Partial<Values> {
  if (!post) return { column: firstColumn, required: false, pinned: false, wholeTenant: false, ...poll };
  const audience = JSON.parse(post.audience || '{}');
  return {
    ...poll,
    column: post.column.id, title: post.title, body: htmlToBody(post.body), wholeTenant: !!audience.whole_tenant,
    departments: relayIds('Department', audience.department_ids), users: relayIds('User', audience.user_ids),
    required: post.required, readDeadline: post.readDeadline ? dayjs(post.readDeadline) : null, pinned: post.pinned,
    expiresAt: post.expiresAt ? dayjs(post.expiresAt) : null, publishAt: post.publishAt ? dayjs(post.publishAt) : null,
    videoLinks: post.videoLinks,
  };
}

function Editor({ post, columns }: { post: AnnouncementFieldsFragment | null; columns: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const client = useClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [general, setGeneral] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  // The draft once saved: publishing may still be refused (the whitelist), and a second try must not make another.
  const [savedId, setSavedId] = useState<string | undefined>(post?.id);
  const required = Form.useWatch('required', form);
  const whole = Form.useWatch('wholeTenant', form);
  const [{ custom, ...poll }] = useState(() => pollInitial(post));
  const [hasPoll, setHasPoll] = useState(!!poll.poll); // stored on the server: turning it off removes it

  async function submit(publish: boolean) {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(publish ? 'publish' : 'save');
    try {
      const saved = await client.mutation(SaveAnnouncementMutation, { input: {
        id: savedId, column: v.column, title: v.title, body: bodyToHtml(v.body ?? ''), videoLinks: v.videoLinks ?? [],
        audience: { wholeTenant: !!v.wholeTenant, departments: v.wholeTenant ? [] : v.departments ?? [], users: v.wholeTenant ? [] : v.users ?? [] },
        required: !!v.required, readDeadline: v.required && v.readDeadline ? v.readDeadline.toISOString() : null,
        pinned: !!v.pinned, expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
      } }).toPromise();
      const payload = saved.data?.saveAnnouncement;
      if (saved.error) return void message.error(errorText(saved.error));
      if (payload?.errors.length) return void setGeneral(applyFieldErrors(form, payload.errors));
      const postId = payload!.announcement!.id;
      setSavedId(postId);
      setGeneral([]);
      for (const f of files) {
        if (!f.originFileObj) continue;
        const r = await client.mutation(AddAnnouncementAttachmentMutation, { input: {
          announcement: postId, filename: f.name, contentType: f.type || 'application/octet-stream', data: await readBase64(f.originFileObj),
        } }).toPromise();
        const problem = r.error ? errorText(r.error) : (r.data?.addAnnouncementAttachment?.errors ?? []).map((e) => e.message).join(' ');
        if (problem) return void message.error(`${f.name}：${problem}`);
      }
      setFiles([]);
      if (!custom && (v.poll || hasPoll)) {
        const f = await client.mutation(SetAnnouncementFormMutation, { input: {
          id: postId, formSchema: v.poll ? JSON.stringify(pollSchema(v)) : null, closesAt: v.poll && v.closesAt ? v.closesAt.toISOString() : null,
        } }).toPromise();
        if (f.error) return void message.error(errorText(f.error));
        const errors = f.data?.setAnnouncementForm?.errors ?? [];
        if (errors.length) return void setGeneral(applyFieldErrors(form, errors));
        setHasPoll(!!v.poll);
      }
      if (publish) {
        const p = await client.mutation(PublishAnnouncementMutation, { input: { id: postId, publishAt: v.publishAt ? v.publishAt.toISOString() : null } }).toPromise();
        if (p.error) return void message.error(errorText(p.error));
        const errors = p.data?.publishAnnouncement?.errors ?? [];
        if (errors.length) return void setGeneral(errors);
      }
      message.success(publish ? t('announcements.published') : t('announcements.saved'));
      navigate(`/announcements/posts/${encodeURIComponent(postId)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={post ? t('announcements.editTitle') : t('announcements.new')} data-testid="announcement-editor">
      <FormErrors errors={general} />
      <Form form={form} layout="vertical" initialValues={initial(post, columns[0]?.id, poll)} style={{ maxWidth: 820 }}>
        <Form.Item name="column" label={t('announcements.column')} rules={[{ required: true, message: t('announcements.pickColumn') }]}>
          <Select options={columns.map((c) => ({ value: c.id, label: c.name }))} data-testid="editor-column" />
        </Form.Item>
        <Form.Item name="title" label={t('announcements.fieldTitle')} rules={[{ required: true, message: t('announcements.needTitle') }, { max: 120 }]}>
          <Input data-testid="editor-title" />
        </Form.Item>
        <Form.Item name="body" label={t('announcements.body')} extra={t('announcements.bodyHelp')}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 20 }} data-testid="editor-body" />
        </Form.Item>
        <Form.Item name="wholeTenant" label={t('announcements.wholeTenant')} valuePropName="checked">
          <Switch data-testid="editor-whole" />
        </Form.Item>
        {!whole && (
          <>
            <Form.Item name="departments" label={t('announcements.departments')}>
              <DepartmentPicker multiple data-testid="editor-departments" />
            </Form.Item>
            <Form.Item name="users" label={t('announcements.people')}>
              <ContactPicker multiple data-testid="editor-people" />
            </Form.Item>
          </>
        )}
        <Flex gap={24} wrap>
          <Form.Item name="required" label={t('announcements.required')} valuePropName="checked">
            <Switch data-testid="editor-required" />
          </Form.Item>
          {required && (
            <Form.Item name="readDeadline" label={t('announcements.readDeadline')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="editor-deadline" />
            </Form.Item>
          )}
          <Form.Item name="pinned" label={t('announcements.pinned')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('announcements.expiresAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="publishAt" label={t('announcements.publishAt')} extra={t('announcements.publishAtHelp')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        </Flex>
        <Form.Item name="videoLinks" label={t('announcements.videoLinks')}>
          <Select mode="tags" tokenSeparators={[' ', ',']} placeholder="https://…" open={false} />
        </Form.Item>
        <Form.Item label={t('announcements.attachments')} extra={post?.attachments.map((a) => a.filename).join('、')}>
          <Upload accept=".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png,.gif" multiple fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)}>
            <Button icon={<UploadOutlined />}>{t('announcements.addFiles')}</Button>
          </Upload>
        </Form.Item>
        <PollFields custom={custom} />
        <Flex gap={8} wrap>
          <Button onClick={() => submit(false)} loading={busy === 'save'} data-testid="editor-save">{t('announcements.saveDraft')}</Button>
          <Button type="primary" onClick={() => submit(true)} loading={busy === 'publish'} data-testid="editor-publish">{t('announcements.publish')}</Button>
        </Flex>
      </Form>
    </Card>
  );
}
