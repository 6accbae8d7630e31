from juesuan.cli import main

main()
