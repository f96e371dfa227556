import type { RequestStatus } from '../../src-main/common/requests.js';
import type { SortDir, SortKey } from './request-table.js';

/** The requests table's search, filter, sort and page survive a visit to a request's detail. */
export const requestsView = $state<{ search: string; status: RequestStatus | 'all'; sortKey: SortKey; sortDir: SortDir; page: number }>({
  search: '',
  status: 'all',
  sortKey: 'createdAt',
  sortDir: 'desc',
  page: 0,
});
