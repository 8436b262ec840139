// 会议室: the occupancy board (everyone of the tenant), the booking form and a booking's page.
import { CalendarOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'meetings',
  app: 'meetings',
  routes: [
    route('/meetings', () => import('./BoardPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'meetings.menu', icon: <CalendarOutlined />, order: 8 },
    }),
    route('/meetings/book', () => import('./BookPage'), { workspace: 'tenant' }),
    route('/meetings/bookings/:id', () => import('./BookingPage'), { workspace: 'tenant' }),
  ],
});
