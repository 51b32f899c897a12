/** The loopback callback this tool listens on unless --redirect-uri says otherwise (declared once). */
export const DEFAULT_REDIRECT_URI = 'http://localhost:8976/callback';
