/** An anchor that navigates inside the app (plain clicks only; modified clicks open as the browser does). */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useServices } from '../app/services';

export const Link = ({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) => {
  const { nav } = useServices();
  const handle = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    nav.navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
};
