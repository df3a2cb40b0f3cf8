import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";
import type { ComponentProps } from "react";

import { cn } from "@/lib/utils";

// The styles are the ui-btn* classes in app/globals.css (short class names: lists show buttons on every row).
const buttonVariants = cva("ui-btn", {
  variants: {
    variant: {
      default: "ui-btn-default",
      destructive: "ui-btn-destructive",
      outline: "ui-btn-outline",
      secondary: "ui-btn-secondary",
      ghost: "ui-btn-ghost",
      link: "ui-btn-link",
    },
    size: { default: "ui-btn-md", sm: "ui-btn-sm", lg: "ui-btn-lg", icon: "ui-btn-icon" },
  },
  defaultVariants: { variant: "default", size: "default" },
});

// A button, or (asChild) a link styled as one.
export function Button({ className, variant, size, asChild = false, ...props }: ComponentProps<"button"> & VariantProps<typeof buttonVariants> & { asChild?: boolean }) {
  const Component = asChild ? Slot.Root : "button";
  return <Component className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}
