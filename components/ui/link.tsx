"use client";

import NextLink from "next/link";
import { useState, type ComponentProps } from "react";

// The app's only link. Next prefetches every link as it scrolls into view; on a list page that was each row, sort
// header, page and menu entry, some fifty server renders for one view of the patient list. This one prefetches its
// route when the pointer rests on it or a finger touches it (Next's documented hover-prefetch pattern), so the loading
// state is ready for the link someone is about to follow and nothing is fetched for the others.
export function Link({ prefetch, onMouseEnter, onTouchStart, ...props }: ComponentProps<typeof NextLink>) {
  const [isIntended, setIntended] = useState(false);
  return (
    <NextLink
      {...props}
      prefetch={isIntended ? (prefetch ?? null) : false}
      onMouseEnter={(event) => {
        setIntended(true);
        onMouseEnter?.(event);
      }}
      onTouchStart={(event) => {
        setIntended(true);
        onTouchStart?.(event);
      }}
    />
  );
}
