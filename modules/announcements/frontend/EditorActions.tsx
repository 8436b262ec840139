// The editor's buttons: exactly the actions the server offers on this post (availableActions).
import { useState } from 'react';
import { App, Button, Flex, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { errorText } from '@workbench/api/errors';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';
import { PinAnnouncementMutation, PublishAnnouncementMutation, RemindAnnouncementUnreadMutation, WithdrawAnnouncementMutation } from './operations';

interface Payload {
  errors: readonly { message: string }[];
  reminded?: number | null;
}

export function EditorActions({ post, onChanged, onEdit }: { post: AnnouncementFieldsFragment; onChanged: () => void; onEdit: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const input = { id: post.id };

  async function act(key: string, run: () => Promise<{ payload: Payload | null | undefined; error?: Parameters<typeof errorText>[0] }>) {
    setBusy(key);
    const { payload, error } = await run().finally(() => setBusy(null));
    const problem = error ? errorText(error) : (payload?.errors ?? []).map((e) => e.message).join(' ');
    if (problem) return void message.error(problem);
    message.success(key.startsWith('REMIND') ? t('announcements.reminded', { count: payload?.reminded ?? 0 }) : t('announcements.saved'));
    onChanged();
  }

  const publish = () => act('PUBLISH', async () => {
    const r = await client.mutation(PublishAnnouncementMutation, { input }).toPromise();
    return { payload: r.data?.publishAnnouncement, error: r.error };
  });
  const withdraw = () => act('WITHDRAW', async () => {
    const r = await client.mutation(WithdrawAnnouncementMutation, { input }).toPromise();
    return { payload: r.data?.withdrawAnnouncement, error: r.error };
  });
  const pin = (pinned: boolean) => act('PIN', async () => {
    const r = await client.mutation(PinAnnouncementMutation, { input: { ...input, pinned } }).toPromise();
    return { payload: r.data?.pinAnnouncement, error: r.error };
  });
  const remind = (urgent: boolean) => act(urgent ? 'REMIND_URGENT' : 'REMIND', async () => {
    const r = await client.mutation(RemindAnnouncementUnreadMutation, { input: { ...input, urgent } }).toPromise();
    return { payload: r.data?.remindAnnouncementUnread, error: r.error };
  });

  const has = (a: string) => post.availableActions.includes(a as never);
  return (
    <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="announcement-actions">
      {has('EDIT') && <Button onClick={onEdit} data-testid="action-EDIT">{t('announcements.action.EDIT')}</Button>}
      {has('PUBLISH') && <Button type="primary" loading={busy === 'PUBLISH'} onClick={publish} data-testid="action-PUBLISH">{t('announcements.action.PUBLISH')}</Button>}
      {has('PIN') && <Button loading={busy === 'PIN'} onClick={() => pin(true)} data-testid="action-PIN">{t('announcements.action.PIN')}</Button>}
      {has('UNPIN') && <Button loading={busy === 'PIN'} onClick={() => pin(false)} data-testid="action-UNPIN">{t('announcements.action.UNPIN')}</Button>}
      {has('REMIND') && (
        <>
          <Button type="primary" loading={busy === 'REMIND'} onClick={() => remind(false)} data-testid="action-REMIND">{t('announcements.action.REMIND')}</Button>
          <Popconfirm title={t('announcements.urgentConfirm')} onConfirm={() => remind(true)}>
            <Button danger loading={busy === 'REMIND_URGENT'} data-testid="action-REMIND_URGENT">{t('announcements.action.REMIND_URGENT')}</Button>
          </Popconfirm>
        </>
      )}
      {has('WITHDRAW') && (
        <Popconfirm title={t('announcements.withdrawConfirm')} onConfirm={withdraw}>
          <Button danger type="text" loading={busy === 'WITHDRAW'} data-testid="action-WITHDRAW">{t('announcements.action.WITHDRAW')}</Button>
        </Popconfirm>
      )}
    </Flex>
  );
}
