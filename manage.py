#!/usr/bin/env python3
import sys

from onestop.cli import django_main

if __name__ == "__main__":
    django_main(sys.argv)
