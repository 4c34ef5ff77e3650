/** strftime's "%Y-%m-%d %H:%M:%S %z" in local time, as virsh prints snapshot and checkpoint creation times. */
export function creationText(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  const t = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const off = -t.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${p(Math.trunc(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())} ${zone}`;
}
