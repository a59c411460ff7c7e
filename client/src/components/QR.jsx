import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

// A QR code drawn here in the browser (never by an outside service).
export function QR({ text, label, class: cls = 'qr' }) {
  const [src, setSrc] = useState(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 640, color: { dark: '#000000', light: '#ffffff' } })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text]);
  if (!src) return <div class={`${cls} qr-empty`} aria-hidden="true" />;
  return <img class={cls} src={src} alt={label} width="640" height="640" data-testid="qr" />;
}
