from juesuan.cli.app import main

main()
