/** Display helpers shared by the pages. Amounts are wei (BigInt strings) and print with formatEther. */
import { formatEther } from 'viem';

export const shortHex = (h: string | null | undefined, lead = 6, tail = 4): string =>
  !h ? '—' : h.length <= lead + tail + 2 ? h : `${h.slice(0, lead)}…${h.slice(-tail)}`;

export function formatEth(wei: string | null | undefined, decimals = 4): string {
  if (wei === null || wei === undefined) return '—';
  const s = formatEther(BigInt(wei));
  const [whole, frac = ''] = s.split('.');
  const f = frac.slice(0, decimals).replace(/0+$/, '');
  return f ? `${whole}.${f}` : (whole ?? '0');
}

/** Token amounts (UM, 18 decimals) with thousands separators. */
export function formatTokens(raw: string | bigint | null | undefined, decimals = 2): string {
  if (raw === null || raw === undefined) return '—';
  const s = formatEther(BigInt(raw));
  const [whole = '0', frac = ''] = s.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const f = frac.slice(0, decimals).replace(/0+$/, '');
  return f ? `${grouped}.${f}` : grouped;
}

export function formatTime(unixSeconds: string | number | null | undefined): string {
  if (unixSeconds === null || unixSeconds === undefined) return '—';
  const d = new Date(Number(unixSeconds) * 1000);
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
