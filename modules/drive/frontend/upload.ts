// Resumable uploads with tus-js-client: the file goes in 8 MiB PATCHes to the drive's tus endpoint;
// pause aborts the request in flight (the server keeps what arrived), resume asks the server for
// its offset and goes on from there — also after a reload, since the upload's address is kept in
// localStorage under a fingerprint of the tenant, folder and file.
import { useCallback, useEffect, useRef, useState } from 'react';
import * as tus from 'tus-js-client';
import { useSession } from '@workbench/session/session';

export type UploadStatus = 'uploading' | 'paused' | 'done' | 'error';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  sent: number;
  status: UploadStatus;
  error?: string;
}

const CHUNK = 8 * 1024 * 1024;

function serverMessage(error: Error): string {
  const response = (error as tus.DetailedError).originalResponse;
  try {
    const body = JSON.parse(response?.getBody() ?? '') as { errors?: { message?: string }[] };
    return body.errors?.[0]?.message ?? error.message;
  } catch {
    return error.message;
  }
}

export function useDriveUploads(folderId: string, onDone: () => void) {
  const { token, tenant } = useSession();
  const [items, setItems] = useState<UploadItem[]>([]);
  const uploads = useRef(new Map<string, tus.Upload>());
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);

  useEffect(() => {
    const running = uploads.current;
    return () => running.forEach((u) => void u.abort());
  }, []);

  const update = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((old) => old.map((i) => (i.key === key ? { ...i, ...change } : i)));
  }, []);

  const start = useCallback(
    async (file: File, fileId?: string) => {
      const key = ['drive', tenant, folderId, fileId ?? '', file.name, file.type, file.size, file.lastModified].join('/');
      uploads.current.get(key)?.abort();
      setItems((old) => [...old.filter((i) => i.key !== key), { key, name: file.name, size: file.size, sent: 0, status: 'uploading' }]);
      const upload = new tus.Upload(file, {
        endpoint: `/t/${encodeURIComponent(tenant ?? '')}/apps/drive/tus/`,
        chunkSize: CHUNK,
        retryDelays: [0, 1000, 3000, 5000],
        headers: { Authorization: `Bearer ${token ?? ''}` },
        metadata: { folder: folderId, filename: file.name, filetype: file.type || 'application/octet-stream', ...(fileId ? { file: fileId } : {}) },
        fingerprint: async () => key,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (sent) => update(key, { sent }),
        onSuccess: () => {
          update(key, { sent: file.size, status: 'done' });
          uploads.current.delete(key);
          done.current();
        },
        onError: (error) => update(key, { status: 'error', error: serverMessage(error) }),
      });
      uploads.current.set(key, upload);
      const previous = await upload.findPreviousUploads();
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    },
    [folderId, tenant, token, update],
  );

  const pause = useCallback(
    (key: string) => {
      void uploads.current.get(key)?.abort();
      update(key, { status: 'paused' });
    },
    [update],
  );

  const resume = useCallback(
    (key: string) => {
      const upload = uploads.current.get(key);
      if (!upload) return;
      update(key, { status: 'uploading', error: undefined });
      upload.start();
    },
    [update],
  );

  return { items, start, pause, resume };
}
