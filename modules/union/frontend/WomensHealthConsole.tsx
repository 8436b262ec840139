// The union administrator's editor of 育龄期女职工健康 articles (officer console): published articles
// and drafts, create, edit, publish / take back to a draft, delete. Each button shows only when the
// server lists it in the article's availableActions; the server's field errors go under the fields.
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, List, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import type { UnionHealthArticlesQuery as ArticlesData } from '@workbench/gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { formatTime } from '@workbench/components/time';
import { UnionMeQuery } from './operations';

export const UnionHealthArticlesQuery = graphql(`
  query UnionHealthArticles {
    unionHealthArticles {
      id
      title
      body
      clinic
      published
      createdAt
      availableActions
    }
    unionWomensHealth {
      clinics {
        value
        label
      }
    }
  }
`);

export const CreateUnionHealthArticleMutation = graphql(`
  mutation CreateUnionHealthArticle($input: CreateUnionHealthArticleInput!) {
    createUnionHealthArticle(input: $input) {
      article {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UpdateUnionHealthArticleMutation = graphql(`
  mutation UpdateUnionHealthArticle($input: UpdateUnionHealthArticleInput!) {
    updateUnionHealthArticle(input: $input) {
      article {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SetUnionHealthArticlePublishedMutation = graphql(`
  mutation SetUnionHealthArticlePublished($input: SetUnionHealthArticlePublishedInput!) {
    setUnionHealthArticlePublished(input: $input) {
      article {
        id
        published
        availableActions
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DeleteUnionHealthArticleMutation = graphql(`
  mutation DeleteUnionHealthArticle($input: DeleteUnionHealthArticleInput!) {
    deleteUnionHealthArticle(input: $input) {
      deletedId
      errors {
        field
        code
        message
      }
    }
  }
`);

type Article = ArticlesData['unionHealthArticles'][number];
type Values = { title: string; body: string; clinic: string; published?: boolean };
type Clinic = { value: string; label: string };

function ArticleEditor({ article, clinics, onClose, onSaved }: {
  article: Article | null; clinics: Clinic[]; onClose: () => void; onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [general, setGeneral] = useState<FieldError[]>([]);
  const [created, create] = useMutation(CreateUnionHealthArticleMutation);
  const [updated, update] = useMutation(UpdateUnionHealthArticleMutation);

  async function save(v: Values) {
    setGeneral([]);
    const fields = { title: v.title, body: v.body, clinic: v.clinic };
    const r = article
      ? await update({ input: { id: article.id, ...fields } })
      : await create({ input: { ...fields, published: !!v.published } });
    const payload = r.data && ('updateUnionHealthArticle' in r.data ? r.data.updateUnionHealthArticle : r.data.createUnionHealthArticle);
    if (r.error || !payload) return setGeneral([{ code: 'ERROR', message: errorText(r.error) || t('union.learn.failed') }]);
    if (payload.errors.length) return setGeneral(applyFieldErrors(form, payload.errors));
    message.success(t('union.care.done'));
    onSaved();
  }

  return (
    <Modal open title={article ? t('union.womens.editArticle') : t('union.womens.newArticle')} onCancel={onClose}
      onOk={() => form.submit()} okText={t('union.womens.save')} confirmLoading={created.fetching || updated.fetching}
      width="min(720px, 96vw)" destroyOnHidden okButtonProps={{ 'data-testid': 'union-health-save' } as Record<string, string>}>
      {general.map((e) => <Alert key={e.message} type="error" showIcon message={e.message} style={{ marginBottom: 12 }} />)}
      <Form form={form} layout="vertical" onFinish={save} data-testid="union-health-editor"
        initialValues={article ? { title: article.title, body: article.body, clinic: article.clinic } : { published: true }}>
        <Form.Item name="title" label={t('union.womens.articleTitle')} rules={[{ required: true, message: t('union.required') }]}>
          <Input maxLength={100} showCount data-testid="union-health-title" />
        </Form.Item>
        <Form.Item name="clinic" label={t('union.womens.clinic')} rules={[{ required: true, message: t('union.required') }]}>
          <Select options={clinics} data-testid="union-health-clinic" />
        </Form.Item>
        <Form.Item name="body" label={t('union.womens.body')} rules={[{ required: true, message: t('union.required') }]}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} maxLength={20000} showCount data-testid="union-health-body" />
        </Form.Item>
        {!article && (
          <Form.Item name="published" valuePropName="checked" style={{ marginBottom: 0 }}>
            <Checkbox data-testid="union-health-publish-now">{t('union.womens.publishNow')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ArticlesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: UnionHealthArticlesQuery });
  const [, setPublished] = useMutation(SetUnionHealthArticlePublishedMutation);
  const [, remove] = useMutation(DeleteUnionHealthArticleMutation);
  const [editing, setEditing] = useState<Article | 'new' | null>(null);
  const articles = result.data?.unionHealthArticles ?? [];
  const clinics = (result.data?.unionWomensHealth.clinics ?? []).map((c) => ({
    value: c.value, label: t(`union.womens.clinics.${c.value}`, { defaultValue: c.label }),
  }));
  const clinicName = (value: string) => clinics.find((c) => c.value === value)?.label ?? value;
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  async function act(run: () => Promise<{ errors: readonly FieldError[] } | null | undefined>) {
    const payload = await run();
    if (!payload || payload.errors.length) message.error(payload?.errors[0]?.message ?? t('union.learn.failed'));
    else message.success(t('union.care.done'));
    refresh();
  }

  return (
    <Card title={t('union.womens.articles')} data-testid="union-console-health" style={{ marginTop: 16 }}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="union-health-new">
        {t('union.womens.newArticle')}</Button>}>
      {articles.length === 0 ? <Empty description={t('union.womens.noArticles')} /> : (
        <List dataSource={articles} renderItem={(a) => (
          <List.Item data-testid="union-health-article">
            <div style={{ minWidth: 0, width: '100%' }}>
              <Space wrap size={4}>
                <Typography.Text strong>{a.title}</Typography.Text>
                <Tag color={a.published ? 'green' : 'default'} data-testid="union-health-status">
                  {a.published ? t('union.womens.published') : t('union.womens.draft')}</Tag>
                <Tag>{clinicName(a.clinic)}</Tag>
              </Space>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0' }}>{a.body}</Typography.Paragraph>
              <Space wrap size={4}>
                <Typography.Text type="secondary">{formatTime(a.createdAt)}</Typography.Text>
                {a.availableActions.includes('EDIT') && (
                  <Button size="small" onClick={() => setEditing(a)} data-testid="union-health-edit">{t('union.womens.edit')}</Button>
                )}
                {a.availableActions.includes('PUBLISH') && (
                  <Button size="small" type="primary" data-testid="union-health-publish" onClick={() => act(async () =>
                    (await setPublished({ input: { id: a.id, published: true } })).data?.setUnionHealthArticlePublished)}>
                    {t('union.womens.publish')}</Button>
                )}
                {a.availableActions.includes('UNPUBLISH') && (
                  <Button size="small" data-testid="union-health-unpublish" onClick={() => act(async () =>
                    (await setPublished({ input: { id: a.id, published: false } })).data?.setUnionHealthArticlePublished)}>
                    {t('union.womens.unpublish')}</Button>
                )}
                {a.availableActions.includes('DELETE') && (
                  <Popconfirm title={t('union.womens.confirmDelete')} onConfirm={() => act(async () =>
                    (await remove({ input: { id: a.id } })).data?.deleteUnionHealthArticle)}>
                    <Button size="small" danger data-testid="union-health-delete">{t('union.womens.delete')}</Button>
                  </Popconfirm>
                )}
              </Space>
            </div>
          </List.Item>
        )} />
      )}
      {editing && (
        <ArticleEditor article={editing === 'new' ? null : editing} clinics={clinics} onClose={() => setEditing(null)}
          onSaved={() => { setEditing(null); refresh(); }} />
      )}
    </Card>
  );
}

/** Only for the union administrator (unionMe.isAdmin); sub-union officers do not see it. */
export default function WomensHealthConsole() {
  const [me] = useQuery({ query: UnionMeQuery });
  return me.data?.unionMe.isAdmin ? <ArticlesCard /> : null;
}
