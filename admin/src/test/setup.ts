// Browser APIs that antd expects but jsdom lacks. Only applied when a test runs in jsdom.
if (typeof window !== 'undefined') {
  if (!window.matchMedia) {
    // Behave like a wide desktop screen: every `min-width` breakpoint matches, so antd's grid
    // reports lg and Refine renders the regular sider instead of the mobile drawer.
    window.matchMedia = (query: string) =>
      ({
        matches: /min-width/.test(query),
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  if (!('ResizeObserver' in window)) {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
  const original = window.getComputedStyle;
  // jsdom does not implement pseudo-elements; antd asks for them when measuring scrollbars.
  window.getComputedStyle = (elt: Element) => original(elt);
}

// Refine's ThemedSider still renders <Menu.Item> children, which antd 5 reports as deprecated on
// every render; hide that one known third-party warning so real problems stand out.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('[antd: Menu] `children` is deprecated')) return;
  consoleError(...args);
};
