import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The frame of the pages one sees before signing in. */
export function AuthCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', padding: 16, background: '#f0f5ff' }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
        {children}
      </Card>
    </Flex>
  );
}
