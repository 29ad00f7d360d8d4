// The delivery log on the watch page: the newest messages with their status and attempts.
import type { DeliveryView } from '../../../../service/notify-delivery.ts';
import { Empty, When } from '../../components.tsx';

export function DeliveryLog(props: { deliveries: DeliveryView[] }): JSX.Element {
  const { deliveries } = props;
  return deliveries.length === 0 ? (
    <Empty>Nothing sent yet.</Empty>
  ) : (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Destination</th>
          <th scope="col">Message</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr data-delivery={String(d.id)} data-status={d.status}>
            <td>
              <When at={d.created_at} />
            </td>
            <td safe>{d.destination.name}</td>
            <td safe>{d.title ?? d.events.join(', ')}</td>
            <td safe>{d.status === 'dead' ? `dead (${d.last_error ?? 'error'})` : d.status}</td>
            <td safe>{`${d.attempts} of ${d.max_attempts}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
