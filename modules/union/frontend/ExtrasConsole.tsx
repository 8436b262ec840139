// The officer console's 职工书屋 (links and their click statistics), 工会图集 (albums, photo
// uploads) and 惠在协和 (offers with a validity and a picture) — for the nodes the officer manages.
import { useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, Row, Select, Table, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import {
  AddUnionAlbumPhotoMutation, AddUnionBookMutation, CreateUnionAlbumMutation, PostUnionOfferMutation, UnionAlbumsQuery,
  UnionBooksQuery, UnionManagedNodesQuery, UnionOffersQuery, WithdrawUnionOfferMutation,
} from './extrasOperations';

type Errors = { field?: string | null; message: string }[] | undefined;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function useNodes() {
  const [result] = useQuery({ query: UnionManagedNodesQuery });
  const nodes = (result.data?.unionTree ?? []).filter((n) => n.canManage).map((n) => ({ value: n.id, label: n.name }));
  const activities = (result.data?.unionActivities ?? []).filter((a) => a.availableActions.includes('REVIEW'))
    .map((a) => ({ value: a.id, label: a.title }));
  return { nodes, activities };
}

function useReport() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return (errors: Errors, failed?: unknown) => {
    if (failed || errors?.length) {
      message.error(errors?.[0]?.message ?? t('union.learn.failed'));
      return false;
    }
    message.success(t('union.care.done'));
    return true;
  };
}

function BooksCard({ nodes }: { nodes: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const report = useReport();
  const [form] = Form.useForm();
  const [result, reexecute] = useQuery({ query: UnionBooksQuery });
  const [adding, add] = useMutation(AddUnionBookMutation);
  const books = (result.data?.unionBooks ?? []).filter((b) => b.canManage);
  async function submit(v: { node: string; title: string; url: string; author?: string; category?: string }) {
    const r = await add({ input: v });
    if (report(r.data?.addUnionBook?.errors, r.error)) {
      form.resetFields(['title', 'url', 'author']);
      reexecute({ requestPolicy: 'network-only' });
    }
  }
  return (
    <Card title={t('union.learn.library')} data-testid="union-console-library">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ node: nodes[0]?.value }}>
        <Form.Item name="node" label={t('union.node')} rules={[{ required: true }]}><Select options={nodes} /></Form.Item>
        <Form.Item name="title" label={t('union.extras.bookTitle')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="url" label={t('union.extras.url')} rules={[{ required: true, type: 'url' }]}><Input placeholder="https://" /></Form.Item>
        <Row gutter={8}>
          <Col span={12}><Form.Item name="author" label={t('union.extras.author')}><Input maxLength={60} /></Form.Item></Col>
          <Col span={12}><Form.Item name="category" label={t('union.extras.category')}><Input maxLength={30} /></Form.Item></Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={adding.fetching}>{t('union.extras.add')}</Button>
      </Form>
      <Table size="small" rowKey="id" pagination={false} style={{ marginTop: 12 }} dataSource={books} data-testid="union-book-stats"
        columns={[
          { title: t('union.extras.bookTitle'), dataIndex: 'title' },
          { title: t('union.extras.clicks'), dataIndex: 'clicks', width: 80 },
          { title: t('union.extras.readers'), dataIndex: 'readers', width: 80 },
        ]} />
    </Card>
  );
}

function AlbumsCard({ nodes, activities }: { nodes: { value: string; label: string }[]; activities: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const report = useReport();
  const [form] = Form.useForm();
  const [result, reexecute] = useQuery({ query: UnionAlbumsQuery });
  const [, create] = useMutation(CreateUnionAlbumMutation);
  const [uploading, upload] = useMutation(AddUnionAlbumPhotoMutation);
  const [album, setAlbum] = useState<string | undefined>();
  const albums = (result.data?.unionAlbums ?? []).filter((a) => a.canManage);
  async function submit(v: { target: string; title?: string }) {
    const [kind, id] = v.target.split(':');
    const r = await create({ input: kind === 'a' ? { activity: id, title: v.title } : { node: id, title: v.title } });
    if (report(r.data?.createUnionAlbum?.errors, r.error)) {
      setAlbum(r.data?.createUnionAlbum?.album?.id);
      form.resetFields(['title']);
      reexecute({ requestPolicy: 'network-only' });
    }
  }
  async function send(file: File) {
    if (!album) return;
    const r = await upload({ input: { album, imageBase64: await readAsDataUrl(file), caption: file.name.replace(/\.[^.]+$/, '') } });
    if (report(r.data?.addUnionAlbumPhoto?.errors, r.error)) reexecute({ requestPolicy: 'network-only' });
  }
  const targets = [
    ...nodes.map((n) => ({ value: `n:${n.value}`, label: `${t('union.extras.freeAlbum')} · ${n.label}` })),
    ...activities.map((a) => ({ value: `a:${a.value}`, label: `${t('union.extras.activityAlbum')} · ${a.label}` })),
  ];
  return (
    <Card title={t('union.gallery.title')} data-testid="union-console-albums">
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="target" label={t('union.extras.albumOf')} rules={[{ required: true }]}><Select options={targets} /></Form.Item>
        <Form.Item name="title" label={t('union.extras.albumTitle')}><Input maxLength={100} /></Form.Item>
        <Button type="primary" htmlType="submit">{t('union.extras.createAlbum')}</Button>
      </Form>
      <Select style={{ width: '100%', marginTop: 12 }} placeholder={t('union.extras.pickAlbum')} value={album} onChange={setAlbum}
        options={albums.map((a) => ({ value: a.id, label: `${a.title} (${a.photoCount})` }))} />
      <Upload accept="image/jpeg,image/png,image/webp" multiple showUploadList={false} disabled={!album}
        beforeUpload={(file) => { void send(file); return false; }}>
        <Button icon={<UploadOutlined />} style={{ marginTop: 8 }} disabled={!album} loading={uploading.fetching}>{t('union.extras.upload')}</Button>
      </Upload>
    </Card>
  );
}

function OffersCard({ nodes }: { nodes: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const report = useReport();
  const [form] = Form.useForm();
  const [result, reexecute] = useQuery({ query: UnionOffersQuery, variables: { manage: true } });
  const [posting, post] = useMutation(PostUnionOfferMutation);
  const [, withdraw] = useMutation(WithdrawUnionOfferMutation);
  const [image, setImage] = useState<string | undefined>();
  async function submit(v: { node: string; title: string; merchant: string; discount: string; days: [Dayjs, Dayjs] }) {
    const r = await post({ input: { node: v.node, title: v.title, merchant: v.merchant, discount: v.discount,
      validFrom: v.days[0].format('YYYY-MM-DD'), validUntil: v.days[1].format('YYYY-MM-DD'), imageBase64: image } });
    if (report(r.data?.postUnionOffer?.errors, r.error)) {
      form.resetFields(['title', 'merchant', 'discount']);
      setImage(undefined);
      reexecute({ requestPolicy: 'network-only' });
    }
  }
  return (
    <Card title={t('union.offers.title')} data-testid="union-console-offers">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ node: nodes[0]?.value }}>
        <Form.Item name="node" label={t('union.node')} rules={[{ required: true }]}><Select options={nodes} /></Form.Item>
        <Form.Item name="title" label={t('union.extras.offerTitle')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="merchant" label={t('union.extras.merchant')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="discount" label={t('union.extras.discount')} rules={[{ required: true }]}><Input maxLength={300} /></Form.Item>
        <Form.Item name="days" label={t('union.extras.validity')} rules={[{ required: true }]}><DatePicker.RangePicker style={{ width: '100%' }} /></Form.Item>
        <Upload accept="image/jpeg,image/png,image/webp" maxCount={1} beforeUpload={(file) => { void readAsDataUrl(file).then(setImage); return false; }}
          onRemove={() => setImage(undefined)}>
          <Button icon={<UploadOutlined />}>{t('union.extras.picture')}</Button>
        </Upload>
        <Button type="primary" htmlType="submit" loading={posting.fetching} style={{ marginTop: 8 }}>{t('union.extras.post')}</Button>
      </Form>
      <Table size="small" rowKey="id" pagination={false} style={{ marginTop: 12 }} dataSource={result.data?.unionOffers ?? []}
        columns={[
          { title: t('union.extras.offerTitle'), dataIndex: 'title' },
          { title: t('union.extras.validity'), render: (_v, o) => `${o.validFrom} ~ ${o.validUntil}` },
          { title: '', width: 64, render: (_v, o) => (
            <a onClick={async () => {
              const r = await withdraw({ offer: o.id });
              if (report(r.data?.withdrawUnionOffer?.errors, r.error)) reexecute({ requestPolicy: 'network-only' });
            }}>{t('union.extras.withdraw')}</a>
          ) },
        ]} />
    </Card>
  );
}

export default function ExtrasConsole() {
  const { nodes, activities } = useNodes();
  if (nodes.length === 0) return null;
  return (
    <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
      <Col xs={24} lg={8}><BooksCard nodes={nodes} /></Col>
      <Col xs={24} lg={8}><AlbumsCard nodes={nodes} activities={activities} /></Col>
      <Col xs={24} lg={8}><OffersCard nodes={nodes} /></Col>
    </Row>
  );
}
