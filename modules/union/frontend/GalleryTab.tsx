// 工会图集 and 惠在协和 on the phone: albums (tap one: its photos, with Ant Design's preview to
// swipe through) and the merchants' current offers (an offer past its last day is not sent).
// Every picture's URL comes from the server as is: a link signed for this person (with the
// /t/<tenant> prefix) that works for an hour, so lists are fetched again when shown.
import { useEffect, useRef, useState } from 'react';
import { Button, Card, Col, Empty, Image, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { UnionAlbumPhotosQuery, UnionAlbumsQuery, UnionOffersQuery } from './extrasOperations';

interface PhotosProps {
  album: { id: string; title: string };
  onBack: () => void;
  /** Called once the server has shown the album (the first look earns reading points). */
  onViewed?: () => void;
}

function Photos({ album, onBack, onViewed }: PhotosProps) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: UnionAlbumPhotosQuery, variables: { id: album.id }, requestPolicy: 'cache-and-network' });
  const photos = result.data?.unionAlbumPhotos ?? [];
  const told = useRef<string | null>(null);
  const viewed = !!result.data && !result.stale && !result.fetching;
  useEffect(() => {
    if (viewed && told.current !== album.id) {
      told.current = album.id;
      onViewed?.();
    }
  }, [viewed, album.id, onViewed]);
  return (
    <Card size="small" title={album.title} extra={<Button size="small" onClick={onBack}>{t('union.gallery.back')}</Button>}
      data-testid="union-album-photos">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {photos.length === 0 && <Empty description={t('union.gallery.noPhotos')} />}
        <Image.PreviewGroup>
          <Row gutter={[8, 8]}>
            {photos.map((p, i) => (
              <Col xs={12} sm={8} key={i}>
                <Image src={p.url ?? undefined} alt={p.caption} width="100%" style={{ aspectRatio: '4 / 3', objectFit: 'cover' }}
                  data-testid="union-photo" />
                {p.caption && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.caption}</Typography.Text>}
              </Col>
            ))}
          </Row>
        </Image.PreviewGroup>
      </QueryState>
    </Card>
  );
}

function Albums({ onViewed }: { onViewed?: () => void }) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: UnionAlbumsQuery, requestPolicy: 'cache-and-network' });
  const [open, setOpen] = useState<{ id: string; title: string } | null>(null);
  if (open) return <Photos album={open} onBack={() => setOpen(null)} onViewed={onViewed} />;
  const albums = result.data?.unionAlbums ?? [];
  return (
    <QueryState fetching={result.fetching && !result.data} error={result.error} hasData={!!result.data}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {albums.length === 0 && <Empty description={t('union.gallery.none')} />}
      <Row gutter={[8, 8]}>
        {albums.map((a) => (
          <Col xs={12} sm={8} key={a.id}>
            <Card size="small" hoverable onClick={() => setOpen(a)} data-testid="union-album"
              cover={a.cover ? <img src={a.cover} alt={a.title} style={{ aspectRatio: '4 / 3', objectFit: 'cover' }} />
                : <div style={{ aspectRatio: '4 / 3', background: '#f5f5f5' }} />}>
              <Card.Meta title={a.title} description={t('union.gallery.count', { n: a.photoCount })} />
            </Card>
          </Col>
        ))}
      </Row>
    </QueryState>
  );
}

function Offers() {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: UnionOffersQuery, variables: {}, requestPolicy: 'cache-and-network' });
  const offers = result.data?.unionOffers ?? [];
  return (
    <QueryState fetching={result.fetching && !result.data} error={result.error} hasData={!!result.data}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {offers.length === 0 && <Empty description={t('union.offers.none')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {offers.map((o) => (
          <Card key={o.id} size="small" data-testid="union-offer">
            <Space align="start">
              {o.image && <Image src={o.image} alt={o.title} width={88} height={66} style={{ objectFit: 'cover' }} />}
              <div>
                <Typography.Text strong>{o.title}</Typography.Text>
                <div>{o.merchant}</div>
                <Tag color="red">{o.discount}</Tag>
                <div><Typography.Text type="secondary">{t('union.offers.until', { day: o.validUntil })}</Typography.Text></div>
              </div>
            </Space>
          </Card>
        ))}
      </Space>
    </QueryState>
  );
}

/** `onPoints`: the server may have awarded points (an album looked at). */
export default function GalleryTab({ onPoints }: { onPoints?: () => void }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>{t('union.offers.title')}</Typography.Title>
      <Offers />
      <Typography.Title level={5} style={{ margin: '8px 0 0' }}>{t('union.gallery.title')}</Typography.Title>
      <Albums onViewed={onPoints} />
    </Space>
  );
}
