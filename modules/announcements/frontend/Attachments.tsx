// A post's images and files. They are plain downloads of the module, which cannot carry the
// workbench's bearer token: each image asks for a short-lived signed link once (createSignedLink),
// and a file is fetched through `useSignedLink()` when tapped.
import { useEffect, useState } from 'react';
import { Flex, Image, List, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useClient } from 'urql';
import { useSignedLink } from '@workbench/api/signedLinks';
import { graphql } from '@workbench/gql';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';

const ImageLinkMutation = graphql(`
  mutation AnnouncementImageLink($path: String!) {
    createSignedLink(input: { path: $path }) {
      url
      errors {
        code
        message
      }
    }
  }
`);

type Attachment = AnnouncementFieldsFragment['attachments'][number];

function SignedImage({ a }: { a: Attachment }) {
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void client.mutation(ImageLinkMutation, { path: a.url }).toPromise().then((r) => {
      if (live) setSrc(r.data?.createSignedLink?.url ?? null);
    });
    return () => {
      live = false;
    };
  }, [client, a.url]);
  return src ? <Image src={src} alt={a.filename} width={160} data-testid="announcement-image" /> : null;
}

export function Attachments({ items }: { items: readonly Attachment[] }) {
  const open = useSignedLink();
  const images = items.filter((a) => a.isImage);
  const files = items.filter((a) => !a.isImage);
  return (
    <>
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            {images.map((a) => (
              <SignedImage key={a.id} a={a} />
            ))}
          </Flex>
        </Image.PreviewGroup>
      )}
      {files.length > 0 && (
        <List
          size="small"
          dataSource={[...files]}
          rowKey="id"
          renderItem={(a) => (
            <List.Item>
              <Typography.Link onClick={() => void open(a.url, 'download')} data-testid="announcement-file">
                <PaperClipOutlined /> {a.filename}
              </Typography.Link>
            </List.Item>
          )}
        />
      )}
    </>
  );
}
